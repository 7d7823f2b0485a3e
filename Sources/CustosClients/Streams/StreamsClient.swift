import AsyncHTTPClient
import CustosCore
import CustosStreamsWorkerAPI
import Foundation
import NIOCore
import OpenAPIRuntime

/// The streams worker's contract types (docs/openapi/streams-worker.yaml), under names for callers outside the
/// module.
public enum StreamsAPI {
    public typealias Facts = CustosStreamsWorkerAPI.Components.Schemas.Facts
    public typealias FactsRequest = CustosStreamsWorkerAPI.Components.Schemas.FactsRequest
}

/// The streams worker's internal API: the typed operations over the client generated from
/// docs/openapi/streams-worker.yaml, and ``forward(_:)`` for the Integration Services routes the gateway relays.
public struct StreamsClient: Sendable {
    static let service = "streams worker"
    private let client: Client
    private let relay: WorkerRelay

    /// Creates a client for the worker at `baseURL`, authenticated by the service token's text.
    public init(
        baseURL: String, serviceToken: String, http: HTTPClient = .internalCalls, timeout: TimeAmount = .seconds(30)
    ) {
        client = Client(service: Self.service, baseURL: baseURL, bearer: serviceToken, http: http, timeout: timeout)
        relay = WorkerRelay(
            service: Self.service, baseURL: baseURL, serviceToken: serviceToken, http: http, timeout: timeout)
    }

    /// Erases a deleted tenant's channels, subscriptions and envelopes; returns the rows deleted.
    public func erase(tenant: TenantID) async throws -> Int {
        try await call(Self.service) {
            try await client.eraseChannels(path: .init(tenant: tenant.rawValue)).ok.body.json.rows
        }
    }

    /// What the policies need to know about a channel request.
    public func facts(tenant: TenantID, _ request: StreamsAPI.FactsRequest) async throws -> StreamsAPI.Facts {
        try await call(Self.service) {
            try await client.getPolicyFacts(path: .init(tenant: tenant.rawValue), body: .json(request)).ok.body.json
        }
    }

    /// A log write the gateway authorized, for ``writeEntries(tenant:_:)``.
    public struct EntryWrite: Sendable {
        /// The channel address.
        public let channelAddress: String
        /// The DID of the writing identity.
        public let caller: String
        /// The privatePlus `asym-shared-key`, as the request gave it.
        public let asymSharedKey: String?
        /// The log, as sent.
        public let log: JSONValue

        /// Creates a write.
        public init(channelAddress: String, caller: String, asymSharedKey: String?, log: JSONValue) {
            self.channelAddress = channelAddress
            self.caller = caller
            self.asymSharedKey = asymSharedKey
            self.log = log
        }
    }

    /// Writes log entries of the tenant's channels in one call: each result is the entry's `ChannelData`, or the
    /// worker's refusal of that entry alone as an ``RPCError`` with its status.
    public func writeEntries(tenant: TenantID, _ entries: [EntryWrite]) async throws -> [Result<JSONValue, any Error>] {
        let body: JSONValue = [
            "entries": .array(
                entries.map { entry in
                    var item: [String: JSONValue] = [
                        "channelAddress": .string(entry.channelAddress), "caller": .string(entry.caller),
                        "log": entry.log,
                    ]
                    if let key = entry.asymSharedKey { item["asymSharedKey"] = .string(key) }
                    return .object(item)
                })
        ]
        let answer = try await relay.forward(
            .init(
                method: .POST, path: "/internal/v1/tenants/\(tenant.rawValue)/streams/entries", query: nil,
                caller: "key", body: ByteBuffer(bytes: try JCS.canonicalBytes(body)), contentType: "application/json"))
        let json = try? JSONParser.parse(answer.body.readableBytesView)
        guard answer.status == 200, let results = json?["results"]?.arrayValue, results.count == entries.count else {
            throw RPCError(
                service: Self.service, status: answer.status,
                message: json?["error"]?.stringValue ?? "unexpected answer to a batch of entries")
        }
        return results.map { result in
            let status = result["status"]?.intValue ?? 500
            guard status == 200, let data = result["data"] else {
                return .failure(
                    RPCError(service: Self.service, status: status, message: result["error"]?.stringValue ?? "failed"))
            }
            return .success(data)
        }
    }

    /// Relays a request; transport failures are an ``RPCError`` without status (503 to the caller).
    public func forward(_ request: WorkerRelay.Request) async throws -> WorkerRelay.Answer {
        try await relay.forward(request)
    }
}

extension CustosStreamsWorkerAPI.Client: GeneratedClient {}
