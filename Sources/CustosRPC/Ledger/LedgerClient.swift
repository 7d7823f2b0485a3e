import CustosCore

/// The typed client of the ledger worker's internal API.
public struct LedgerClient: Sendable {
    private let client: InternalClient

    /// Creates a client for the worker at `baseURL`.
    public init(baseURL: String, token: ServiceToken) {
        client = InternalClient(service: "ledger worker", baseURL: baseURL, token: token)
    }

    private func path(_ tenant: TenantID, _ rest: String) -> String {
        "/internal/v1/tenants/\(tenant.rawValue)/ledger\(rest)"
    }

    /// Creates the tenant's network; succeeds again when it already exists with the same name.
    public func createNetwork(tenant: TenantID, name: String) async throws -> LedgerAPI.Network {
        try await client.send(.PUT, path(tenant, ""), body: LedgerAPI.CreateNetwork(name: name))
    }

    /// Attaches one message and returns once it is committed.
    public func submit(tenant: TenantID, _ message: LedgerAPI.Submit) async throws -> LedgerAPI.Submitted {
        try await client.send(.POST, path(tenant, "/messages"), body: message)
    }

    /// Attaches several messages in one commit.
    public func submit(tenant: TenantID, batch: LedgerAPI.SubmitBatch) async throws -> LedgerAPI.SubmittedBatch {
        try await client.send(.POST, path(tenant, "/messages/batch"), body: batch)
    }

    /// Reads a message by id.
    public func message(tenant: TenantID, id: Digest32) async throws -> LedgerAPI.Message {
        try await client.send(.GET, path(tenant, "/messages/\(id.hex)"))
    }
}
