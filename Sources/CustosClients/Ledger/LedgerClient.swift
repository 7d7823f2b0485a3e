import AsyncHTTPClient
import CustosCore
import CustosLedger
import CustosLedgerWorkerAPI
import NIOCore
import OpenAPIRuntime

/// The ledger worker's internal API, over the client generated from docs/openapi/ledger-worker.yaml.
///
/// A thin facade: typed tenant and message ids in, the contract's bodies out, failures as ``RPCError``.
public struct LedgerClient: Sendable {
    static let service = "ledger worker"
    private let client: Client

    /// Creates a client for the worker at `baseURL`, authenticated by the service token's text.
    public init(
        baseURL: String, serviceToken: String, http: HTTPClient = .internalCalls, timeout: TimeAmount = .seconds(30)
    ) {
        client = Client(
            service: Self.service, baseURL: baseURL, bearer: serviceToken, http: http, timeout: timeout)
    }

    /// Creates the tenant's network; succeeds again when it already exists with the same name.
    public func createNetwork(tenant: TenantID, name: String) async throws -> LedgerAPI.Network {
        try await call(Self.service) {
            try await client.createNetwork(path: .init(tenant: tenant.rawValue), body: .json(.init(name: name)))
                .ok.body.json
        }
    }

    /// Attaches up to ``EntryBatch/maximumCount`` entries in one commit, in the binary batch form; returns their
    /// ids in order once committed.
    public func submit(tenant: TenantID, entries: [LedgerEntry]) async throws -> [Digest32] {
        try await call(Self.service) {
            let body = try await client.submitBatch(
                path: .init(tenant: tenant.rawValue),
                body: .applicationVnd_custos_entries(HTTPBody(EntryBatch.encode(entries)))
            ).created.body
            let bytes = try await [UInt8](
                collecting: try body.applicationVnd_custos_messageIds, upTo: 32 * EntryBatch.maximumCount)
            do { return try EntryBatch.decodeIDs(bytes, count: entries.count) } catch {
                throw RPCError(service: Self.service, status: nil, message: "\(error)")
            }
        }
    }

    /// The network, origin and coordinator key.
    public func network(tenant: TenantID) async throws -> LedgerAPI.Network {
        try await call(Self.service) { try await client.getNetwork(path: .init(tenant: tenant.rawValue)).ok.body.json }
    }

    /// Messages with a tag, paged; `after` is a `next` cursor of an earlier page. The worker applies the
    /// defaults for what is nil, and checks the ranges.
    public func messages(tenant: TenantID, tag: String, after: Int?, limit: Int?) async throws -> LedgerAPI.MessageList
    {
        try await call(Self.service) {
            try await client.listMessages(
                path: .init(tenant: tenant.rawValue), query: .init(tag: tag, limit: limit, after: after)
            ).ok.body.json
        }
    }

    /// Reads a message by id.
    public func message(tenant: TenantID, id: Digest32) async throws -> LedgerAPI.Message {
        try await call(Self.service) {
            try await client.getMessage(path: .init(tenant: tenant.rawValue, messageId: id.hex)).ok.body.json
        }
    }

    /// The receipt of a confirmed message, as the canonical JSON bytes the worker produced.
    public func receipt(tenant: TenantID, id: Digest32) async throws -> [UInt8] {
        try await call(Self.service) {
            let body = try await client.getReceipt(path: .init(tenant: tenant.rawValue, messageId: id.hex)).ok.body
            return try await [UInt8](collecting: try body.applicationVnd_custos_receipt, upTo: 1 << 20)
        }
    }

    /// Up to ``ReceiptBatch/maximumCount`` receipts in one call, one result per id in order: the canonical JSON
    /// bytes the worker produced, or the ``RPCError`` the single receipt call would have thrown for that id.
    public func receipts(tenant: TenantID, ids: [Digest32]) async throws -> [Result<[UInt8], any Error>] {
        try await call(Self.service) {
            let body = try await client.getReceipts(
                path: .init(tenant: tenant.rawValue),
                body: .applicationVnd_custos_messageIds(HTTPBody(ReceiptBatch.encode(ids: ids)))
            ).ok.body
            let bytes = try await [UInt8](
                collecting: try body.applicationVnd_custos_receipts, upTo: ReceiptBatch.maximumCount << 20)
            let outcomes: [ReceiptBatch.Outcome]
            do { outcomes = try ReceiptBatch.decodeOutcomes(bytes, count: ids.count) } catch {
                throw RPCError(service: Self.service, status: nil, message: "\(error)")
            }
            return outcomes.map { outcome in
                switch outcome {
                case .receipt(let receipt): .success(receipt)
                case .refused(let status, let message):
                    .failure(RPCError(service: Self.service, status: status, message: message))
                }
            }
        }
    }

    /// The newest signed checkpoint note.
    public func checkpoint(tenant: TenantID) async throws -> [UInt8] {
        try await call(Self.service) {
            let body = try await client.getCheckpoint(path: .init(tenant: tenant.rawValue)).ok.body
            return try await [UInt8](collecting: try body.plainText, upTo: 64 * 1024)
        }
    }

    /// A consistency proof.
    public func consistency(tenant: TenantID, from: UInt64, to: UInt64) async throws -> LedgerAPI.ConsistencyProof {
        try await call(Self.service) {
            try await client.getConsistency(
                path: .init(tenant: tenant.rawValue), query: .init(from: Int(from), to: Int(to))
            ).ok.body.json
        }
    }

    /// A tile or entry bundle at a C2SP tlog-tiles path below `tile/`.
    public func tile(tenant: TenantID, path tilePath: String) async throws -> [UInt8] {
        try await call(Self.service) {
            let body = try await client.getTile(
                path: .init(tenant: tenant.rawValue), query: .init(path: "tile/" + tilePath)
            )
            .ok.body
            return try await [UInt8](collecting: try body.binary, upTo: 1 << 20)
        }
    }

    /// Milestones with index above `after`, oldest first. The worker applies the defaults for what is nil, and
    /// checks the ranges.
    public func milestones(tenant: TenantID, after: Int?, limit: Int?) async throws -> LedgerAPI.MilestoneList {
        try await call(Self.service) {
            try await client.listMilestones(
                path: .init(tenant: tenant.rawValue), query: .init(after: after, limit: limit)
            ).ok.body.json
        }
    }

    /// The newest milestone.
    public func latestMilestone(tenant: TenantID) async throws -> LedgerAPI.MilestoneEntry {
        try await call(Self.service) {
            try await client.getLatestMilestone(path: .init(tenant: tenant.rawValue)).ok.body.json
        }
    }

    /// Schedules a coordinator key rotation.
    public func rotateCoordinatorKey(tenant: TenantID) async throws -> LedgerAPI.Rotation {
        try await call(Self.service) {
            try await client.rotateCoordinatorKey(path: .init(tenant: tenant.rawValue)).accepted.body.json
        }
    }

    /// Erases a deleted tenant's ledger (entries and coordinator seeds; hashes and checkpoints stay); returns the
    /// entries destroyed.
    public func erase(tenant: TenantID) async throws -> Int {
        try await call(Self.service) {
            try await client.eraseLedger(path: .init(tenant: tenant.rawValue)).ok.body.json.entries
        }
    }
}

extension Client: GeneratedClient {}
