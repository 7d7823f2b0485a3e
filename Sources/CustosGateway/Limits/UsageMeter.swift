import CustosCore
import CustosPolicy
import CustosServer
import CustosStore
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Meters the entries each tenant writes per UTC day against its plan's `entriesPerDay` quota.
///
/// Every gateway counts the entries it admitted and adds them to `control.usage` once a second, reading back
/// the day's total of all gateways; admission compares that total plus what this gateway has not yet added with
/// the quota. So several gateways share one quota, and together they may overshoot it by what they admit in a
/// second. A tenant's first entry on a gateway reads its total first. While the database is away the counts
/// wait in memory and admission goes on from the last total read.
final class UsageMeter: Service, Sendable {
    /// A tenant's count on this gateway for one day.
    private struct Count {
        var day: String
        /// The day's total of every gateway, as last read.
        var total: Int64
        /// Admitted here and not yet added to the table.
        var pending: Int64
        /// Whether `total` was read at least once.
        var loaded: Bool
    }

    static let flushInterval: Duration = .seconds(1)

    private let client: PostgresClient
    private let plans: PlanCatalog
    private let database: DatabaseDeadline
    private let logger: Logger
    private let counts = Mutex([TenantID: Count]())

    init(client: PostgresClient, plans: PlanCatalog, queryTimeout: Duration, logger: Logger) {
        self.client = client
        self.plans = plans
        self.database = DatabaseDeadline(timeout: queryTimeout, logger: logger)
        self.logger = logger
    }

    /// Admits `count` entries of a tenant on `plan` and counts them, or throws the 429 of its exhausted quota.
    /// Entries that are then not written are given back with ``release(_:tenant:)``.
    func admit(_ count: Int, tenant: TenantID, plan: String?) async throws {
        guard let quota = plan.flatMap({ plans[$0] })?.quotas.entriesPerDay else {
            return record(count, tenant: tenant)
        }
        let today = UTCDay.of()
        if counts.withLock({ $0[tenant].map { $0.day != today || !$0.loaded } ?? true }) {
            let total = try await storedTotal(tenant, day: today)
            counts.withLock { counts in
                var entry =
                    counts[tenant].flatMap { $0.day == today ? $0 : nil }
                    ?? Count(day: today, total: 0, pending: 0, loaded: false)
                entry.total = max(entry.total, total)
                entry.loaded = true
                counts[tenant] = entry
            }
        }
        let admitted = counts.withLock { counts -> Bool in
            guard var entry = counts[tenant] else { return false }
            guard entry.total + entry.pending + Int64(count) <= Int64(quota) else { return false }
            entry.pending += Int64(count)
            counts[tenant] = entry
            return true
        }
        guard admitted else {
            throw QuotaExceeded(
                message:
                    "the tenant's daily quota of \(quota) entries (plan \(plan ?? "")) is used up; it resets at midnight UTC"
            )
        }
    }

    /// A write past the daily quota: answered 429 with Retry-After the seconds until midnight UTC.
    struct QuotaExceeded: Error, Sendable {
        var message: String

        func response(now: Date = Date()) -> Response {
            var response = ErrorResponseMiddleware<CustosRequestContext>.response(
                status: .tooManyRequests, message: message)
            let secondsToday = Int(now.timeIntervalSince1970) % 86400
            response.headers[.retryAfter] = String(86400 - secondsToday)
            return response
        }
    }

    /// Counts entries of a plan without a quota, which still shows its usage.
    private func record(_ count: Int, tenant: TenantID) {
        let today = UTCDay.of()
        counts.withLock { counts in
            if counts[tenant]?.day != today { counts[tenant] = Count(day: today, total: 0, pending: 0, loaded: false) }
            counts[tenant]?.pending += Int64(count)
        }
    }

    /// Gives back entries admitted but then not written (the write failed).
    func release(_ count: Int, tenant: TenantID) {
        counts.withLock { counts in
            if let pending = counts[tenant]?.pending { counts[tenant]?.pending = max(0, pending - Int64(count)) }
        }
    }

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.flushInterval)
                await self.flush()
            }
        }
        // What was admitted before the shutdown is still added.
        await flush()
    }

    /// Adds every pending count to the table and reads back the day's totals, in one statement however many
    /// tenants wrote.
    private func flush() async {
        let pending = counts.withLock { counts in
            counts.filter { $0.value.pending > 0 }.map { (tenant: $0.key, day: $0.value.day, count: $0.value.pending) }
        }
        guard !pending.isEmpty else { return }
        let totals: [(tenant: String, day: String, total: Int64)]
        do { totals = try await add(pending.map { ($0.tenant.rawValue, $0.day, $0.count) }) } catch {
            logger.warning(
                "usage not stored yet; retrying", metadata: ["tenants": "\(pending.count)", "error": "\(error)"])
            return
        }
        let added = Dictionary(pending.map { ("\($0.tenant)/\($0.day)", $0.count) }) { $1 }
        counts.withLock { counts in
            for total in totals {
                guard let tenant = TenantID(total.tenant), var entry = counts[tenant], entry.day == total.day,
                    let count = added["\(total.tenant)/\(total.day)"]
                else { continue }
                entry.pending -= count
                entry.total = total.total
                entry.loaded = true
                counts[tenant] = entry
            }
        }
    }

    private func add(_ items: [(tenant: String, day: String, count: Int64)]) async throws
        -> [(tenant: String, day: String, total: Int64)]
    {
        let (client, logger) = (self.client, self.logger)
        let tenants = items.map(\.tenant)
        let days = items.map(\.day)
        let counts = items.map(\.count)
        return try await database.run {
            let rows = try await client.query(
                """
                INSERT INTO control.usage (tenant_id, day, entries)
                SELECT t, d::date, n FROM unnest(\(tenants)::text[], \(days)::text[], \(counts)::bigint[]) AS u (t, d, n)
                ON CONFLICT (tenant_id, day) DO UPDATE SET entries = control.usage.entries + excluded.entries
                RETURNING tenant_id, day::text, entries
                """, logger: logger)
            var result: [(String, String, Int64)] = []
            for try await row in rows.decode((String, String, Int64).self) { result.append(row) }
            return result
        }
    }

    private func storedTotal(_ tenant: TenantID, day: String) async throws -> Int64 {
        let (client, logger) = (self.client, self.logger)
        return try await database.run {
            let rows = try await client.query(
                "SELECT entries FROM control.usage WHERE tenant_id = \(tenant.rawValue) AND day = \(day)::date",
                logger: logger)
            for try await total in rows.decode(Int64.self) { return total }
            return 0
        }
    }
}
