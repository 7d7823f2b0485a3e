import CustosCore
import CustosServer
import Hummingbird
import Logging

/// `POST /internal/v1/tenants/{tenant}/streams/entries`: the log writes (A7) a gateway has authorized, carried in
/// one call (docs/openapi/streams-worker.yaml): `{"entries": [{"channelAddress", "caller", "asymSharedKey"?, "log"}]}`
/// in, `{"results": [{"status": 200, "data": ChannelData} | {"status": 4xx/5xx, "error": "..."}]}` out, in order.
///
/// Routed by hand: the logs are kept as the exact JSON sent. The entries of one channel go to its write queue
/// together, so they share a transaction and a ledger round.
struct EntryBatchRoutes {
    let service: StreamsService

    /// The most entries one call carries.
    static let maximumEntries = 256
    /// The largest body: a full batch of entries as large as a ledger message allows.
    static let bodyLimit = 9 << 20

    func add(to group: RouterGroup<CustosRequestContext>) {
        group.post("/internal/v1/tenants/:tenant/streams/entries") { request, context in
            var request = request
            let tenant = try RelayedRequest.tenant(context)
            let body = try await RelayedRequest.body(&request, limit: Self.bodyLimit)
            guard let entries = body["entries"]?.arrayValue, (1...Self.maximumEntries).contains(entries.count) else {
                throw RequestError(.invalidInput, "entries must be an array of 1 to \(Self.maximumEntries) writes")
            }
            // Checked one by one (nothing to wait for but the cached channel type), then written a channel at a
            // time, so that one call's entries of a channel share a batch.
            var prepared: [Result<LogWrite, any Error>] = []
            for entry in entries {
                do { prepared.append(.success(try await prepare(entry, tenant: tenant))) } catch {
                    prepared.append(.failure(error))
                }
            }
            let ready = prepared.indices.compactMap { index in (try? prepared[index].get()).map { (index, $0) } }
            let written = await service.writeLogs(tenant, ready.map(\.1))
            var results = prepared.map { $0.map { _ in JSONValue.null } }
            for ((index, _), result) in zip(ready, written) { results[index] = result }
            return try RelayedRequest.json(
                ["results": .array(results.map { Self.result($0, logger: context.logger) })])
        }
    }

    private func prepare(_ entry: JSONValue, tenant: TenantID) async throws -> LogWrite {
        let fields = try BodyFields(entry, allowed: ["channelAddress", "caller", "asymSharedKey", "log"])
        let address = try StreamsService.address(try fields.requiredString("channelAddress", length: 1...256))
        let caller = RelayedCaller(did: try fields.requiredString("caller", length: 1...512))
        guard let log = fields.members["log"] else { throw RequestError(.invalidInput, "log is required") }
        return try await service.prepareLog(
            tenant, address: address, body: log, caller: caller,
            asymKey: try fields.string("asymSharedKey", length: 1...256))
    }

    private static func result(_ result: Result<JSONValue, any Error>, logger: Logger) -> JSONValue {
        switch result {
        case .success(let data):
            return ["status": 200, "data": data]
        case .failure(let error as any CustosError):
            if error.kind == .internalFailure { logger.error("channel write failed", metadata: ["error": "\(error)"]) }
            return ["status": .number(Double(error.kind.httpStatus.code)), "error": .string(error.description)]
        case .failure(let error):
            logger.error("channel write failed", metadata: ["error": "\(String(reflecting: error))"])
            return ["status": 500, "error": "internal error"]
        }
    }
}
