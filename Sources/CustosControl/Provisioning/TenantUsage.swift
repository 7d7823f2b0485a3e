import CustosCore
import CustosPolicy
import Foundation

/// A tenant's use of its plan today: entries written (UTC day) and live API keys, beside the plan's quotas.
struct TenantUsage: Sendable, Equatable {
    var tenant: TenantID
    var plan: String
    var day: String
    var entries: Int
    var entriesQuota: Int?
    var apiKeys: Int
    var apiKeysQuota: Int?

    /// The usage of `row`'s tenant now.
    static func of(_ row: ControlStore.TenantRow, store: ControlStore, plans: PlanCatalog, now: Date = Date())
        async throws -> TenantUsage
    {
        let day = UTCDay.of(now)
        let used = try await store.usage(row.id, day: day)
        let quotas = plans[row.plan]?.quotas
        return TenantUsage(
            tenant: row.id, plan: row.plan, day: day, entries: used.entries, entriesQuota: quotas?.entriesPerDay,
            apiKeys: used.liveKeys, apiKeysQuota: quotas?.apiKeys)
    }

    /// The 429 of a new key past the plan's `apiKeys` quota, or nil.
    var keyRefusal: RequestError? {
        guard let quota = apiKeysQuota, apiKeys >= quota else { return nil }
        return RequestError(
            .rateLimited,
            "the tenant's plan \(plan) allows \(quota) live API keys and it has \(apiKeys); revoke one or change the plan"
        )
    }
}
