import CustosCore
import Foundation

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

    /// The network, origin and coordinator key.
    public func network(tenant: TenantID) async throws -> LedgerAPI.Network {
        try await client.send(.GET, path(tenant, ""))
    }

    /// Messages with a tag, paged.
    public func messages(tenant: TenantID, tag: String, after: String?, limit: Int) async throws
        -> LedgerAPI.MessageList
    {
        var query = "?tag=\(Self.escape(tag))&limit=\(limit)"
        if let after { query += "&after=\(Self.escape(after))" }
        return try await client.send(.GET, path(tenant, "/messages\(query)"))
    }

    /// The receipt of a confirmed message, as canonical JSON bytes.
    public func receipt(tenant: TenantID, id: Digest32) async throws -> [UInt8] {
        try await client.sendRaw(.GET, path(tenant, "/messages/\(id.hex)/receipt"))
    }

    /// The newest signed checkpoint note.
    public func checkpoint(tenant: TenantID) async throws -> [UInt8] {
        try await client.sendRaw(.GET, path(tenant, "/checkpoint"))
    }

    /// A consistency proof.
    public func consistency(tenant: TenantID, from: UInt64, to: UInt64) async throws -> LedgerAPI.ConsistencyProof {
        try await client.send(.GET, path(tenant, "/consistency?from=\(from)&to=\(to)"))
    }

    /// A tile or entry bundle at a C2SP tlog-tiles path below `tile/`.
    public func tile(tenant: TenantID, path tilePath: String) async throws -> [UInt8] {
        try await client.sendRaw(.GET, path(tenant, "/tile/\(tilePath)"))
    }

    /// Milestones with index above `after`, oldest first.
    public func milestones(tenant: TenantID, after: Int, limit: Int) async throws -> LedgerAPI.MilestoneList {
        try await client.send(.GET, path(tenant, "/milestones?after=\(after)&limit=\(limit)"))
    }

    /// The newest milestone.
    public func latestMilestone(tenant: TenantID) async throws -> LedgerAPI.MilestoneEntry {
        try await client.send(.GET, path(tenant, "/milestones/latest"))
    }

    /// Schedules a coordinator key rotation.
    public func rotateCoordinatorKey(tenant: TenantID) async throws -> LedgerAPI.Rotation {
        try await client.send(.POST, path(tenant, "/coordinator/rotate"))
    }

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// Reads a message by id.
    public func message(tenant: TenantID, id: Digest32) async throws -> LedgerAPI.Message {
        try await client.send(.GET, path(tenant, "/messages/\(id.hex)"))
    }
}
