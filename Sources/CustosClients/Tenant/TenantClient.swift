import AsyncHTTPClient
import CustosTenantAPI
import NIOCore
import OpenAPIRuntime

/// A tenant's gateway API, over the client generated from docs/openapi/tenant.json: what an auditor fetches to
/// check the tenant's ledger.
public struct TenantClient: Sendable {
    static let service = "gateway"
    private let client: Client

    /// Creates a client for the gateway at `baseURL`, authenticated by one of the tenant's API keys.
    public init(baseURL: String, apiKey: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        client = Client(
            service: Self.service, baseURL: baseURL, bearer: apiKey, http: http, timeout: timeout,
            configuration: Configuration(dateTranscoder: .iso8601WithFractionalSeconds))
    }

    /// The ledger's network, origin and coordinator key.
    public func ledger() async throws -> TenantAPI.Ledger {
        try await call(Self.service) { try await client.getLedger().ok.body.json }
    }

    /// The newest signed checkpoint note.
    public func checkpoint() async throws -> String {
        try await call(Self.service) {
            String(
                decoding: try await [UInt8](collecting: try client.getCheckpoint().ok.body.plainText, upTo: 64 * 1024),
                as: UTF8.self)
        }
    }

    /// The newest milestone.
    public func latestMilestone() async throws -> TenantAPI.Milestone {
        try await call(Self.service) { try await client.getLatestMilestone().ok.body.json }
    }

    /// Milestones with index above `after`, oldest first.
    public func milestones(after: Int, limit: Int) async throws -> [TenantAPI.Milestone] {
        try await call(Self.service) {
            try await client.listMilestones(query: .init(after: after, limit: limit)).ok.body.json.milestones
        }
    }

    /// A consistency proof between two log sizes.
    public func consistency(from: Int, to: Int) async throws -> TenantAPI.ConsistencyProof {
        try await call(Self.service) { try await client.getConsistency(query: .init(from: from, to: to)).ok.body.json }
    }
}

extension Client: GeneratedClient {}
