import AsyncHTTPClient
import CustosControlInternalAPI
import NIOCore
import OpenAPIRuntime

/// The control plane's internal API, over the client generated from docs/openapi/control-internal.yaml.
public struct ControlInternalClient: Sendable {
    static let service = "control plane"
    private let client: Client

    /// Creates a client for the control plane at `baseURL`, authenticated by the service token's text.
    public init(baseURL: String, serviceToken: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        client = Client(
            service: Self.service, baseURL: baseURL, bearer: serviceToken, http: http, timeout: timeout)
    }

    /// The gateways the local provisioner should run.
    public func gateways() async throws -> [ControlAPI.Gateway] {
        try await call(Self.service) { try await client.listGateways().ok.body.json.gateways }
    }
}

extension Client: GeneratedClient {}
