import CustosClients
import CustosCore
import CustosServer
import Hummingbird
import NIOCore

/// `POST /api/v0.1/channels/logs/{channelAddress}` (A7), the hot path of the Audit Trail: once the policies allowed
/// the write, it goes to the streams worker in a batch with the tenant's other concurrent writes (``SubmitQueue``),
/// and is answered with its own `ChannelData` once its entry is committed.
struct ChannelWriteRoute {
    let writes: TenantSubmitQueues<StreamsClient.EntryWrite, JSONValue>
    let usage: UsageMeter

    /// The queues of tenants' writes to `streams`.
    static func queues(streams: StreamsClient) -> TenantSubmitQueues<StreamsClient.EntryWrite, JSONValue> {
        TenantSubmitQueues(maximumBatch: 256) { tenant, entries in
            try await streams.writeEntries(tenant: tenant, entries)
        }
    }

    func add(to group: RouterGroup<CustosRequestContext>) {
        group.post("channels/logs/:channelAddress") { request, context in
            let caller = try context.requireTenantKey()
            let tenant = caller.tenant
            guard let token = context.identityToken else {
                throw RequestError(.unauthenticated, TenantPolicyFacts.needsJWT)
            }
            guard let raw = context.parameters.get("channelAddress") else {
                throw RequestError(.invalidInput, "missing channelAddress")
            }
            // The policy facts parsed the body strictly already.
            guard let log = RequestBodyScope.json else { throw RequestError(.invalidInput, "empty body") }
            try RelayedRequest.refuseNUL(in: log, at: "body")
            let key = request.uri.queryParameters["asym-shared-key"].map { $0.percentDecoded ?? "" }
            do { try await usage.admit(1, tenant: tenant, plan: caller.plan) } catch let refusal
                as UsageMeter.QuotaExceeded
            {
                return refusal.response()
            }
            let data: JSONValue
            do {
                data = try await writes.submit(
                    .init(
                        channelAddress: raw.percentDecoded ?? String(raw), caller: token.subject,
                        asymSharedKey: key, log: log), tenant: tenant)
            } catch {
                usage.release(1, tenant: tenant)
                throw error
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: try JCS.canonicalBytes(data))))
        }
    }
}
