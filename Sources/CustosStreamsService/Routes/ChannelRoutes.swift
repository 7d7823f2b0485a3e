import CustosCore
import CustosServer
import CustosStreams
import Foundation
import Hummingbird

/// The Integration Services Audit Trail routes (is-api.md §1.1), as the gateway relays them once it has
/// authenticated the caller and the policies allowed the request: the same paths under
/// `/internal/v1/tenants/{tenant}/streams`, the same bodies and success answers (docs/channels.md §15 lists the
/// deliberate differences).
///
/// Routed by hand: log entries are kept as the exact JSON sent, which the generator's Foundation coding would not
/// preserve.
struct ChannelRoutes {
    let service: StreamsService

    static let bodyLimit = 256 * 1024
    static let prefix = "/internal/v1/tenants/:tenant/streams/api/v0.1"

    func add(to group: RouterGroup<CustosRequestContext>) {
        let api = group.group(RouterPath(Self.prefix))
        addChannelInfo(to: api)
        addChannels(to: api)
        addSubscriptions(to: api)
    }

    // MARK: Request parts

    static func address(_ context: CustosRequestContext) throws -> ChannelAddress {
        try StreamsService.address(try RelayedRequest.parameter("channelAddress", context))
    }

    static func query(_ request: Request, _ name: String) throws(RequestError) -> String? {
        guard let value = request.uri.queryParameters[Substring(name)] else { return nil }
        let text = String(value).removingPercentEncoding ?? String(value)
        guard text.count <= 256 else { throw RequestError(.invalidInput, "\(name) is longer than 256 characters") }
        try RelayedRequest.refuseNUL(text, name)
        return text
    }

    static func date(_ request: Request, _ name: String) throws(RequestError) -> Date? {
        guard let text = try query(request, name) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw RequestError(.invalidInput, "\(name) must be an RFC 3339 date-time")
        }
        return date
    }

    /// `limit`, `index`, `asc`, `start-date` and `end-date` of the log reads (is-api.md §0.5, A8).
    static func page(_ request: Request) throws -> LogPage {
        var page = LogPage()
        (page.limit, page.offset) = try request.page(defaultLimit: 1000)
        page.ascending = try query(request, "asc") == "true"
        page.start = try date(request, "start-date")
        page.end = try date(request, "end-date")
        if let start = page.start, let end = page.end, start > end {
            throw RequestError(.invalidInput, "start date is after end date")
        }
        return page
    }

    /// The query of `GET /channel-info/search` (A1).
    static func search(_ request: Request) throws -> ChannelSearch {
        var search = ChannelSearch()
        search.authorID = try query(request, "author-id")
        search.subscriberID = try query(request, "subscriber-id")
        search.requestedSubscriptionID = try query(request, "requested-subscription-id")
        search.namePrefix = try query(request, "name")
        search.topicType = try query(request, "topic-type")
        search.topicSource = try query(request, "topic-source")
        search.createdFrom = try date(request, "created")
        search.latestMessageFrom = try date(request, "latest-message")
        if try query(request, "hidden") != nil { search.hidden = try RelayedRequest.flag(request, "hidden") }
        (search.limit, search.offset) = try request.page(defaultLimit: 100)
        if let asc = try query(request, "asc") { search.ascending = asc == "true" }
        return search
    }

    static func body(_ request: inout Request) async throws -> JSONValue {
        try await RelayedRequest.body(&request, limit: bodyLimit)
    }

    // MARK: Routes

    private func addChannelInfo(to api: RouterGroup<CustosRequestContext>) {
        api.get("channel-info/search") { request, context in
            try RelayedRequest.json(
                try await service.searchChannels(
                    try RelayedRequest.tenant(context), try Self.search(request), caller: try RelayedCaller(request)))
        }
        api.get("channel-info/channel/:channelAddress") { request, context in
            try RelayedRequest.json(
                try await service.channelInfo(
                    try RelayedRequest.tenant(context), address: try Self.address(context),
                    caller: try RelayedCaller(request)))
        }
        api.post("channel-info/channel") { request, context in
            var request = request
            try await service.addChannelInfo(try RelayedRequest.tenant(context), body: try await Self.body(&request))
            return RelayedRequest.text(.created)
        }
        api.put("channel-info/channel") { request, context in
            var request = request
            try await service.updateChannelInfo(try RelayedRequest.tenant(context), body: try await Self.body(&request))
            return RelayedRequest.text(.ok)
        }
        api.delete("channel-info/channel/:channelAddress") { _, context in
            try await service.deleteChannel(try RelayedRequest.tenant(context), address: try Self.address(context))
            return RelayedRequest.text(.ok)
        }
    }

    private func addChannels(to api: RouterGroup<CustosRequestContext>) {
        api.post("channels/create") { request, context in
            var request = request
            let body = try await Self.body(&request)
            return try RelayedRequest.json(
                try await service.createChannel(
                    try RelayedRequest.tenant(context), body: body, caller: try RelayedCaller(request)),
                status: .created)
        }
        api.post("channels/logs/:channelAddress") { request, context in
            var request = request
            let body = try await Self.body(&request)
            return try RelayedRequest.json(
                try await service.writeLog(
                    try RelayedRequest.tenant(context), address: try Self.address(context), body: body,
                    caller: try RelayedCaller(request), asymKey: try Self.query(request, "asym-shared-key")))
        }
        api.get("channels/logs/:channelAddress") { request, context in
            try RelayedRequest.json(
                try await service.readLogs(
                    try RelayedRequest.tenant(context), address: try Self.address(context),
                    page: try Self.page(request), caller: try RelayedCaller(request),
                    asymKey: try Self.query(request, "asym-shared-key")))
        }
        api.get("channels/history/:channelAddress") { request, context in
            try RelayedRequest.json(
                try await service.readHistory(
                    try RelayedRequest.tenant(context), address: try Self.address(context),
                    presharedKey: try Self.query(request, "preshared-key"), type: try Self.query(request, "type"),
                    page: try Self.page(request)))
        }
        api.post("channels/validate/:channelAddress") { request, context in
            var request = request
            let body = try await Self.body(&request)
            return try RelayedRequest.json(
                try await service.validate(
                    try RelayedRequest.tenant(context), address: try Self.address(context), body: body,
                    caller: try RelayedCaller(request), asymKey: try Self.query(request, "asym-shared-key")))
        }
        api.post("channels/re-import/:channelAddress") { request, context in
            try await service.reimport(
                try RelayedRequest.tenant(context), address: try Self.address(context),
                caller: try RelayedCaller(request), asymKey: try Self.query(request, "asym-shared-key"))
            return RelayedRequest.text(.ok)
        }
    }

    private func addSubscriptions(to api: RouterGroup<CustosRequestContext>) {
        api.get("subscriptions/state/:channelAddress") { request, context in
            try RelayedRequest.json(
                try await service.state(
                    try RelayedRequest.tenant(context), address: try Self.address(context),
                    caller: try RelayedCaller(request)))
        }
        api.put("subscriptions/state/:channelAddress") { request, context in
            var request = request
            let body = try await Self.body(&request)
            try await service.updateState(
                try RelayedRequest.tenant(context), address: try Self.address(context), body: body,
                caller: try RelayedCaller(request))
            return RelayedRequest.empty
        }
        api.get("subscriptions/:channelAddress") { request, context in
            let authorized: Bool? =
                try Self.query(request, "is-authorized") == nil
                ? nil : try RelayedRequest.flag(request, "is-authorized")
            return try RelayedRequest.json(
                try await service.subscriptions(
                    try RelayedRequest.tenant(context), address: try Self.address(context), authorized: authorized,
                    caller: try RelayedCaller(request)))
        }
        api.get("subscriptions/:channelAddress/:id") { request, context in
            try RelayedRequest.json(
                try await service.subscription(
                    try RelayedRequest.tenant(context), address: try Self.address(context),
                    subscriber: try RelayedRequest.parameter("id", context), caller: try RelayedCaller(request)))
        }
        api.post("subscriptions/request/:channelAddress") { request, context in
            var request = request
            let body = try await Self.body(&request)
            return try RelayedRequest.json(
                try await service.requestSubscription(
                    try RelayedRequest.tenant(context), address: try Self.address(context), body: body,
                    caller: try RelayedCaller(request), asymKey: try Self.query(request, "asym-shared-key")),
                status: .created)
        }
        api.post("subscriptions/authorize/:channelAddress") { request, context in
            var request = request
            let body = try await Self.body(&request)
            return try RelayedRequest.json(
                try await service.authorize(
                    try RelayedRequest.tenant(context), address: try Self.address(context), body: body,
                    caller: try RelayedCaller(request), asymKey: try Self.query(request, "asym-shared-key")))
        }
        api.post("subscriptions/revoke/:channelAddress") { request, context in
            var request = request
            let body = try await Self.body(&request)
            try await service.revoke(
                try RelayedRequest.tenant(context), address: try Self.address(context), body: body,
                caller: try RelayedCaller(request), asymKey: try Self.query(request, "asym-shared-key"))
            return RelayedRequest.text(.ok)
        }
        api.post("subscriptions/:channelAddress/:id") { request, context in
            var request = request
            let body = try await Self.body(&request)
            return try RelayedRequest.json(
                try await service.importSubscription(
                    try RelayedRequest.tenant(context), address: try Self.address(context),
                    subscriber: try RelayedRequest.parameter("id", context), body: body,
                    caller: try RelayedCaller(request)),
                status: .created)
        }
        api.put("subscriptions/:channelAddress/:id") { request, context in
            var request = request
            let body = try await Self.body(&request)
            try await service.updateSubscription(
                try RelayedRequest.tenant(context), address: try Self.address(context),
                subscriber: try RelayedRequest.parameter("id", context), body: body,
                caller: try RelayedCaller(request), asymKey: try Self.query(request, "asym-shared-key"))
            return RelayedRequest.empty
        }
        api.delete("subscriptions/:channelAddress/:id") { request, context in
            try await service.deleteSubscription(
                try RelayedRequest.tenant(context), address: try Self.address(context),
                subscriber: try RelayedRequest.parameter("id", context), caller: try RelayedCaller(request),
                asymKey: try Self.query(request, "asym-shared-key"))
            return RelayedRequest.empty
        }
    }
}
