import CustosClients
import CustosCore
import CustosServer
import Hummingbird

/// Receipts and tlog tiles (docs/openapi/tenant.json), served as the exact bytes the ledger worker produced.
///
/// Routed by hand, not by generated code: a receipt is application/json, which the generator always re-encodes,
/// and a tile path has several segments, which an OpenAPI path parameter cannot match.
struct LedgerProofRoutes {
    let ledger: LedgerClient

    func add(to api: RouterGroup<CustosRequestContext>) {
        api.get("/api/v1/ledger/messages/:messageId/receipt") { _, context in
            let tenant = try context.requireTenantKey().tenant
            let id = try LedgerMessageRoutes.messageID(context)
            return Response.bytes(try await ledger.receipt(tenant: tenant, id: id), contentType: "application/json")
        }
        api.get("/api/v1/ledger/tile/**") { _, context in
            let tenant = try context.requireTenantKey().tenant
            let path = context.parameters.getCatchAll().joined(separator: "/")
            return Response.bytes(
                try await ledger.tile(tenant: tenant, path: path), contentType: "application/octet-stream")
        }
    }
}
