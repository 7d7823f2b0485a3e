import AsyncHTTPClient
import CustosControlInternalAPI
import Foundation
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// The control plane's internal API, over the client generated from docs/openapi/control-internal.yaml.
public struct ControlInternalClient: Sendable {
    static let service = "control plane"
    private let client: Client

    /// Creates a client for the control plane at `baseURL`, authenticated by the service token's text.
    public init(baseURL: String, serviceToken: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        client = Client(
            serverURL: URL(string: baseURL) ?? URL(fileURLWithPath: "/"),
            transport: AsyncHTTPClientTransport(configuration: .init(client: http, timeout: timeout)),
            middlewares: [ServiceClientMiddleware(service: Self.service, bearer: serviceToken)])
    }

    /// The gateways the local provisioner should run.
    public func gateways() async throws -> [ControlAPI.Gateway] {
        try await call(Self.service) { try await client.listGateways().ok.body.json.gateways }
    }
}
