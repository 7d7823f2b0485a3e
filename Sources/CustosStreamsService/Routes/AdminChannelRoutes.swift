import CustosCore
import CustosServer
import Hummingbird

/// A tenant administrator's view of the tenant's channels (`/api/v1/channels`, docs/openapi/tenant.json), as the
/// gateway relays it for a key with the tenant-admin scope: every channel, its subscriptions, and its export.
struct AdminChannelRoutes {
    let service: StreamsService

    static let prefix = "/internal/v1/tenants/:tenant/streams/api/v1/channels"

    func add(to group: RouterGroup<CustosRequestContext>) {
        let api = group.group(RouterPath(Self.prefix))
        api.get { request, context in
            let (limit, offset) = try request.page(defaultLimit: 100)
            return try RelayedRequest.json(
                try await service.listChannels(try RelayedRequest.tenant(context), limit: limit, offset: offset))
        }
        api.get(":channelAddress") { _, context in
            try RelayedRequest.json(
                try await service.channelSummary(
                    try RelayedRequest.tenant(context), address: try ChannelRoutes.address(context)))
        }
        api.get(":channelAddress/export") { _, context in
            Response.bytes(
                try await service.export(
                    try RelayedRequest.tenant(context), address: try ChannelRoutes.address(context)),
                contentType: "application/vnd.custos.channel-archive")
        }
    }
}
