import CustosCore
import CustosServer
import Hummingbird
import Logging

/// `POST /internal/v1/tenants/{tenant}/streams/entries`: the log writes (A7) a gateway has authorized, carried in
/// one call (docs/openapi/streams-worker.yaml): `{"entries": [{"channelAddress", "caller", "asymSharedKey"?, "log"}]}`
/// in, `{"results": [{"status": 200, "data": ChannelData} | {"status": 4xx/5xx, "error": "..."}]}` out, in order.
///
/// Routed by hand: the logs are kept as the exact JSON sent. The entries go to their channels' write queues at
/// once, so those of one channel share a transaction and a ledger submission.
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
            let results = await withTaskGroup(of: (Int, JSONValue).self) { group in
                for (index, entry) in entries.enumerated() {
                    group.addTask { (index, await write(entry, tenant: tenant, logger: context.logger)) }
                }
                var results = [JSONValue](repeating: .null, count: entries.count)
                for await (index, result) in group { results[index] = result }
                return results
            }
            return try RelayedRequest.json(["results": .array(results)])
        }
    }

    private func write(_ entry: JSONValue, tenant: TenantID, logger: Logger) async -> JSONValue {
        do {
            let fields = try BodyFields(entry, allowed: ["channelAddress", "caller", "asymSharedKey", "log"])
            let address = try StreamsService.address(try fields.requiredString("channelAddress", length: 1...256))
            let caller = RelayedCaller(did: try fields.requiredString("caller", length: 1...512))
            guard let log = fields.members["log"] else { throw RequestError(.invalidInput, "log is required") }
            let data = try await service.writeLog(
                tenant, address: address, body: log, caller: caller,
                asymKey: try fields.string("asymSharedKey", length: 1...256))
            return ["status": 200, "data": data]
        } catch let error as any CustosError {
            if error.kind == .internalFailure { logger.error("channel write failed", metadata: ["error": "\(error)"]) }
            return ["status": .number(Double(error.kind.httpStatus.code)), "error": .string(error.description)]
        } catch {
            logger.error("channel write failed", metadata: ["error": "\(String(reflecting: error))"])
            return ["status": 500, "error": "internal error"]
        }
    }
}
