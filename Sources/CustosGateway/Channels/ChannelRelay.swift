import CustosClients
import CustosCore
import HTTPTypes

/// The Audit Trail routes of the tenant API (`/api/v0.1`, is-api.md §1.1, docs/openapi/tenant.json tag
/// `channels`), relayed to the streams worker under `/internal/v1/tenants/{tenant}/streams/api/v0.1`.
enum ChannelRelay {
    /// The largest body of a channel route (a batch of logs to validate).
    static let bodyLimit = 256 * 1024

    /// The 21 routes, as the tenant API document names them; the write (A7) is ``ChannelWriteRoute``.
    static let routes: [(HTTPRequest.Method, String)] = [
        (.get, "channel-info/search"), (.get, "channel-info/channel/:channelAddress"),
        (.post, "channel-info/channel"), (.put, "channel-info/channel"),
        (.delete, "channel-info/channel/:channelAddress"), (.post, "channels/create"),
        (.get, "channels/logs/:channelAddress"),
        (.get, "channels/history/:channelAddress"), (.post, "channels/validate/:channelAddress"),
        (.post, "channels/re-import/:channelAddress"), (.get, "subscriptions/state/:channelAddress"),
        (.put, "subscriptions/state/:channelAddress"), (.get, "subscriptions/:channelAddress"),
        (.get, "subscriptions/:channelAddress/:id"), (.post, "subscriptions/request/:channelAddress"),
        (.post, "subscriptions/authorize/:channelAddress"), (.post, "subscriptions/revoke/:channelAddress"),
        (.post, "subscriptions/:channelAddress/:id"), (.put, "subscriptions/:channelAddress/:id"),
        (.delete, "subscriptions/:channelAddress/:id"),
    ]

    /// A tenant administrator's view of every channel (`/api/v1/channels`), relative to the root.
    static let adminRoutes: [(HTTPRequest.Method, String)] = [
        (.get, "api/v1/channels"), (.get, "api/v1/channels/:channelAddress"),
        (.get, "api/v1/channels/:channelAddress/export"),
    ]

    /// The administrator's routes relayed to `streams`.
    static func adminRoutes(to streams: StreamsClient) -> RelayedRoutes {
        RelayedRoutes(
            routes: adminRoutes, bodyLimit: bodyLimit, workerPrefix: { "/internal/v1/tenants/\($0.rawValue)/streams/" },
            forward: { try await streams.forward($0) })
    }

    /// The routes relayed to `streams`.
    static func routes(to streams: StreamsClient) -> RelayedRoutes {
        RelayedRoutes(
            routes: routes, bodyLimit: bodyLimit,
            workerPrefix: { "/internal/v1/tenants/\($0.rawValue)/streams/api/v0.1/" },
            forward: { try await streams.forward($0) })
    }
}
