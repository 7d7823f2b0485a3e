import CustosClients
import CustosCore

/// The streams worker's policy facts of the hot channel routes (writing and reading logs), kept for one second
/// when they show an authorized subscription.
///
/// Only for those routes: the streams worker checks the caller's subscription and rights again under the channel's
/// lock before it writes or reads, so a fact up to a second old can never let through what the worker refuses. Only
/// facts that allow the route are kept, so a subscription authorized or given more rights a moment ago works at
/// once. The other channel routes
/// (info, hidden channels, subscription management) ask every time.
actor ChannelFactsCache {
    /// The routes, and the access rights with which their facts allow.
    static let actions: [String: Set<String>] = [
        "writeChannelLog": ["Write", "ReadAndWrite"], "readChannelLogs": ["Audit", "Read", "ReadAndWrite"],
    ]
    static let lifetime: Duration = .seconds(1)
    private static let capacity = 10_000

    private struct Key: Hashable {
        let action: String
        let tenant: TenantID
        let identity: String?
        let address: String
    }

    private var entries: [Key: (facts: StreamsAPI.Facts, expires: ContinuousClock.Instant)] = [:]

    func facts(
        _ action: String, _ tenant: TenantID, identity: String?, address: String,
        load: @Sendable () async throws -> StreamsAPI.Facts
    ) async throws -> StreamsAPI.Facts {
        let key = Key(action: action, tenant: tenant, identity: identity, address: address)
        let now = ContinuousClock.now
        if let entry = entries[key], entry.expires > now { return entry.facts }
        let facts = try await load()
        guard let subscription = facts.subscription, subscription.isAuthorized,
            Self.actions[action]?.contains(subscription.accessRights.rawValue) == true
        else { return facts }
        if entries.count >= Self.capacity { entries = entries.filter { $0.value.expires > now } }
        entries[key] = (facts, now + Self.lifetime)
        return facts
    }
}
