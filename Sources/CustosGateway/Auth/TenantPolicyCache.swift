import CustosCore
import CustosPolicy
import CustosServer
import CustosStore
import Foundation
import Logging
import PostgresNIO

/// The policies in force for the gateway's tenant: the shipped ones followed by the tenant's own, which the
/// control plane stores (`control.tenant_policies`) after validating them. Read again at most every 5 s, so a
/// change applies within that time without a restart.
///
/// While the database is away the last policies read stay in force; before any were read, requests get the 503.
/// Stored policies that no longer validate (a release changed the schema) fail closed: every request is refused
/// until an administrator replaces them.
actor TenantPolicyCache {
    static let ttl: Duration = .seconds(5)

    private let tenant: TenantID
    private let client: PostgresClient
    private let database: DatabaseDeadline
    private let logger: Logger
    private var cached: (engine: PolicyEngine, text: String, until: ContinuousClock.Instant)?

    init(tenant: TenantID, client: PostgresClient, queryTimeout: Duration, logger: Logger) {
        self.tenant = tenant
        self.client = client
        self.database = DatabaseDeadline(timeout: queryTimeout, logger: logger)
        self.logger = logger
    }

    /// The engine for the next request.
    func engine() async throws -> PolicyEngine {
        if let cached, cached.until > .now { return cached.engine }
        let text: String
        do { text = try await storedText() } catch {
            guard let cached else { throw error }
            return cached.engine
        }
        if let cached, cached.text == text {
            self.cached?.until = .now + Self.ttl
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
                    metadata: ["error": "\(error)"])
                throw RequestError(
                    .forbidden, "the tenant's policies no longer validate; an administrator must replace them")
            }
        }
        cached = (engine, text, .now + Self.ttl)
        return engine
    }

    private func storedText() async throws -> String {
        let (client, logger, tenant) = (self.client, self.logger, self.tenant)
        return try await database.run {
            let rows = try await client.query(
                "SELECT policy_text FROM control.tenant_policies WHERE tenant_id = \(tenant.rawValue)", logger: logger)
            for try await text in rows.decode(String.self) { return text }
            return ""
        }
    }
}
