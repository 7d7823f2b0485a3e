import CustosAuth
import CustosCore
import CustosPolicy
import Foundation
import Logging

/// A tenant's API keys as administrators and the tenant's own administrators manage them: created with scopes
/// and an expiry within the plan's quota, listed without secrets, revoked, rotated with an overlap. Secrets are
/// shown once and stored as hashes.
struct TenantKeys: Sendable {
    /// The longest a rotated key keeps working beside its successor.
    static let maximumOverlap = 7 * 24 * 3600
    static let defaultOverlap = 3600
    /// The scopes a key can have.
    static let scopes = Set(LedgerRequests.allScopes)
    /// Shorthands accepted at creation, stored as the scopes they stand for.
    static let shorthands: [String: [String]] = [
        "read": ["ledger:read", "channels:read", "identities:read", "credentials:read"],
        "write": [
            "ledger:read", "ledger:write", "channels:read", "channels:write", "identities:read", "identities:write",
            "credentials:read", "credentials:write",
        ],
    ]

    let store: ControlStore
    let plans: PlanCatalog
    let logger: Logger

    /// The scopes to store for `requested`: shorthands expanded, sorted, without repeats; nil (every scope) when
    /// none were asked for.
    static func scopes(_ requested: [String]?) throws(RequestError) -> [String]? {
        guard let requested else { return nil }
        guard !requested.isEmpty else {
            throw RequestError(.invalidInput, "scopes, when given, must name at least one scope")
        }
        var result = Set<String>()
        for scope in requested {
            if let expanded = shorthands[scope] {
                result.formUnion(expanded)
            } else if Self.scopes.contains(scope) {
                result.insert(scope)
            } else {
                throw RequestError(
                    .invalidInput,
                    "unknown scope \(scope) (known: \((Self.scopes.sorted() + ["read", "write"]).joined(separator: ", ")))"
                )
            }
        }
        return result.sorted()
    }

    /// A new key of `tenant`, refused past the plan's `apiKeys` quota.
    func create(
        _ tenant: ControlStore.TenantRow, name: String?, scopes: [String]?, expiresAt: Date?, actor: String,
        now: Date = Date()
    ) async throws -> (row: ControlStore.KeyRow, secret: String) {
        let name = name ?? "unnamed"
        guard (1...200).contains(name.count) else {
            throw RequestError(.invalidInput, "name must be 1 to 200 characters")
        }
        if let expiresAt, expiresAt <= now || expiresAt > now.addingTimeInterval(10 * 365 * 86400) {
            throw RequestError(.invalidInput, "expiresAt must be in the future and at most ten years ahead")
        }
        let scopes = try Self.scopes(scopes)
        if let refusal = try await TenantUsage.of(tenant, store: store, plans: plans).keyRefusal { throw refusal }
        let key = SecretToken.generate(.apiKey)
        let row = try await store.insertKey(
            key, tenant: tenant.id, name: name, scopes: scopes, expiresAt: expiresAt, actor: actor)
        logger.info("API key created", metadata: ["tenant": "\(tenant.id)", "key": "\(row.id)"])
        return (row, key.secret)
    }

    /// Revokes a key of `tenant`, or the 404 of a key it does not have.
    func revoke(_ tenant: TenantID, keyID: String, actor: String) async throws {
        guard try await store.revokeKey(tenant: tenant, keyID: keyID, actor: actor) else {
            throw RequestError(.notFound, "tenant \(tenant) has no key \(keyID)")
        }
        logger.info("API key revoked", metadata: ["tenant": "\(tenant)", "key": "\(keyID)"])
    }

    /// Replaces a live key by a new one, the old one working `overlapSeconds` more (default an hour).
    func rotate(_ tenant: TenantID, keyID: String, overlapSeconds: Int?, actor: String, now: Date = Date())
        async throws
        -> (new: ControlStore.KeyRow, secret: String, previous: ControlStore.KeyRow)
    {
        let overlap = overlapSeconds ?? Self.defaultOverlap
        guard (0...Self.maximumOverlap).contains(overlap) else {
            throw RequestError(.invalidInput, "overlapSeconds must be 0 to \(Self.maximumOverlap) (7 days)")
        }
        let next = SecretToken.generate(.apiKey)
        guard
            let rotated = try await store.rotateKey(
                tenant: tenant, keyID: keyID, next: next, overlapUntil: now.addingTimeInterval(Double(overlap)),
                actor: actor)
        else {
            throw RequestError(
                .notFound,
                "tenant \(tenant) has no live key \(keyID) that was not rotated already (rotate its successor)")
        }
        logger.info(
            "API key rotated",
            metadata: [
                "tenant": "\(tenant)", "key": "\(keyID)", "successor": "\(rotated.new.id)", "overlap": "\(overlap)",
            ])
        return (rotated.new, next.secret, rotated.previous)
    }
}
