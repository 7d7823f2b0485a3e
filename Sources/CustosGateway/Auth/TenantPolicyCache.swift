import CustosCore
import CustosPolicy
import CustosServer
import CustosStore
import Foundation
import Logging
import PostgresNIO

/// The policies in force for each tenant the gateway serves: the shipped ones followed by the tenant's own,
/// which the control plane stores (`control.tenant_policies`) after validating them. Read again at most every
/// 5 s, so a change applies within that time without a restart. Tenants without policies of their own share the
/// shipped engine, so an idle tenant costs a small entry, dropped once stale when the table grows.
///
/// While the database is away the last policies read stay in force; before any were read, requests get the 503.
/// Stored policies that no longer validate (a release changed the schema) fail closed: every request is refused
/// until an administrator replaces them.
actor TenantPolicyCache {
    static let ttl: Duration = .seconds(5)

    /// Tenants kept before stale entries are dropped.
    static let capacity = 4096

    private struct Cached {
        var engine: PolicyEngine
        var text: String
        var until: ContinuousClock.Instant
    }

    private let client: PostgresClient
    private let database: DatabaseDeadline
    private let logger: Logger
    private var entries: [TenantID: Cached] = [:]

    init(client: PostgresClient, queryTimeout: Duration, logger: Logger) {
        self.client = client
        self.database = DatabaseDeadline(timeout: queryTimeout, logger: logger)
        self.logger = logger
    }

    /// The engine for the tenant's next request.
    func engine(for tenant: TenantID) async throws -> PolicyEngine {
        let cached = entries[tenant]
        if let cached, cached.until > .now { return cached.engine }
        let text: String
        do { text = try await storedText(tenant) } catch {
            guard let cached else { throw error }
            return cached.engine
        }
        if let cached, cached.text == text {
            entries[tenant]?.until = .now + Self.ttl
            return cached.engine
        }
        let engine: PolicyEngine
        if text.isEmpty {
            engine = .shipped
        } else {
            do {
                engine = try PolicyEngine.shipped.adding(try TenantPolicies.validate(text, tenant: tenant.rawValue))
            } catch {
                logger.error(
                    "the tenant's stored policies no longer validate; refusing requests",
                    metadata: ["tenant": "\(tenant)", "error": "\(error)"])
                throw RequestError(
                    .forbidden, "the tenant's policies no longer validate; an administrator must replace them")
            }
        }
        if entries.count >= Self.capacity { entries = entries.filter { $0.value.until > .now } }
        entries[tenant] = Cached(engine: engine, text: text, until: .now + Self.ttl)
        return engine
    }

    private func storedText(_ tenant: TenantID) async throws -> String {
        let (client, logger) = (self.client, self.logger)
        return try await database.run {
            let rows = try await client.query(
                "SELECT policy_text FROM control.tenant_policies WHERE tenant_id = \(tenant.rawValue)", logger: logger)
            for try await text in rows.decode(String.self) { return text }
            return ""
        }
    }
}
