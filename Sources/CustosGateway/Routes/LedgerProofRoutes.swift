import CustosClients
import CustosCore
import CustosServer
import Hummingbird
import NIOCore

/// Receipts and tlog tiles (docs/openapi/tenant.json), served as the exact bytes the ledger worker produced.
///
/// Routed by hand, not by generated code: a receipt is application/json, which the generator always re-encodes,
/// and a tile path has several segments, which an OpenAPI path parameter cannot match.
struct LedgerProofRoutes {
    let ledger: LedgerClient
    let receipts: LedgerReceiptQueue

    func add(to api: RouterGroup<CustosRequestContext>) {
        api.get("/api/v1/ledger/messages/:messageId/receipt") { request, context in
            let tenant = try context.requireTenantKey().tenant
            let id = try LedgerMessageRoutes.messageID(context)
            let receipt = try await receipts.submit(id, tenant: tenant)
            let etag = ImmutableResponses.receiptTag(receipt)
            if ImmutableResponses.isFresh(request, etag: etag) {
                return ImmutableResponses.notModified(etag: etag, caching: ImmutableResponses.receiptCaching)
            }
            return ImmutableResponses.response(
                ByteBuffer(bytes: receipt), contentType: "application/json", etag: etag,
                caching: ImmutableResponses.receiptCaching)
        }
        api.get("/api/v1/ledger/tile/**") { request, context in
            let tenant = try context.requireTenantKey().tenant
            let path = context.parameters.getCatchAll().joined(separator: "/")
            // Tiles, partial ones included, never change once they exist: the path is the ETag.
            let etag = ImmutableResponses.tag(path)
            if ImmutableResponses.isFresh(request, etag: etag) {
                return ImmutableResponses.notModified(etag: etag, caching: ImmutableResponses.immutable)
            }
            return ImmutableResponses.response(
                ByteBuffer(bytes: try await ledger.tile(tenant: tenant, path: path)),
                contentType: "application/octet-stream", etag: etag, caching: ImmutableResponses.immutable)
        }
    }
}
