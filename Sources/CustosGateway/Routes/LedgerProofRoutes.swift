import CustosClients
import CustosCore
import CustosServer
import Foundation
import Hummingbird
import NIOCore

/// `/api/v1/ledger/...`: the tenant's public verification material: network and coordinator key, signed
/// checkpoints, receipts, consistency proofs and tlog tiles. Everything here can be checked offline.
struct LedgerProofRoutes {
    let ledger: LedgerClient

    func add(to api: RouterGroup<CustosRequestContext>) {
        api.get("ledger") { _, context in
            try JSONResponse.make(try await ledger.network(tenant: try context.requireTenantKey().tenant))
        }
        api.get("ledger/checkpoint") { _, context in
            let tenant = try context.requireTenantKey().tenant
            return Response.bytes(try await ledger.checkpoint(tenant: tenant), contentType: "text/plain; charset=utf-8")
        }
        api.get("ledger/messages") { request, context in
            let tenant = try context.requireTenantKey().tenant
            guard let tag = request.uri.queryParameters["tag"].map(String.init) else {
                throw RequestError(.invalidInput, "query parameter tag is required")
            }
            guard tag.utf8.count <= 64 else { throw RequestError(.invalidInput, "tag must be at most 64 bytes") }
            let limit = try request.integerQuery("limit", default: 100, range: 1...1000)
            let after = try request.uri.queryParameters["after"].map { text in
                guard let cursor = Int(text), cursor >= 0 else {
                    throw RequestError(.invalidInput, "after must be a cursor from next")
                }
                return cursor
            }
            let page = try await ledger.messages(tenant: tenant, tag: tag, after: after, limit: limit)
            return try JSONResponse.make(
                MessagePage(messages: try page.messages.map(LedgerMessageRoutes.presentation), next: page.next))
        }
        api.get("ledger/messages/:id/receipt") { _, context in
            let tenant = try context.requireTenantKey().tenant
            let id = try LedgerMessageRoutes.messageID(context)
            return Response.bytes(try await ledger.receipt(tenant: tenant, id: id), contentType: "application/json")
        }
        api.get("ledger/consistency") { request, context in
            let tenant = try context.requireTenantKey().tenant
            let from = try request.integerQuery("from", default: nil, range: 1...Int.max)
            let to = try request.integerQuery("to", default: nil, range: 1...Int.max)
            return try JSONResponse.make(
                try await ledger.consistency(tenant: tenant, from: UInt64(from), to: UInt64(to)))
        }
        api.get("ledger/milestones") { request, context in
            let tenant = try context.requireTenantKey().tenant
            let after = try request.integerQuery("after", default: 0, range: 0...Int.max)
            let limit = try request.integerQuery("limit", default: 100, range: 1...1000)
            return try JSONResponse.make(try await ledger.milestones(tenant: tenant, after: after, limit: limit))
        }
        api.get("ledger/milestones/latest") { _, context in
            let tenant = try context.requireTenantKey().tenant
            return try JSONResponse.make(try await ledger.latestMilestone(tenant: tenant))
        }
        api.get("ledger/tile/**") { _, context in
            let tenant = try context.requireTenantKey().tenant
            let path = context.parameters.getCatchAll().joined(separator: "/")
            return Response.bytes(
                try await ledger.tile(tenant: tenant, path: path), contentType: "application/octet-stream")
        }
    }

    /// A page of entries with one tag.
    struct MessagePage: Encodable {
        var messages: [LedgerMessageRoutes.Presentation]
        var next: String?
    }
}
