import CustosClients
import CustosCore
import CustosCrypto
import Foundation
import Synchronization

/// The public keys that sign each tenant's identity tokens, read from the ssi worker's JWKS and kept for a
/// minute; a token signed by a key not yet seen rereads them (at most every 5 seconds, so forged `kid`s cannot
/// make the gateway hammer the worker).
///
/// Tenants not seen for a while are forgotten when the table grows, so a pooled gateway keeps keys only for the
/// tenants that use it.
final class TenantTokenKeys: Sendable {
    private struct Entry {
        var keys: [String: Ed25519.PublicKey] = [:]
        var fetched: ContinuousClock.Instant?
    }

    private let ssi: SSIClient
    private let state = Mutex([TenantID: Entry]())
    static let lifetime: Duration = .seconds(60)
    static let minimumRefresh: Duration = .seconds(5)
    /// Tenants kept before stale entries are dropped.
    static let capacity = 4096

    init(ssi: SSIClient) {
        self.ssi = ssi
    }

    /// The tenant's keys, refreshed when stale or when `kid` is unknown.
    func keys(of tenant: TenantID, for kid: String?) async throws -> [String: Ed25519.PublicKey] {
        let now = ContinuousClock.now
        let entry = state.withLock { $0[tenant] } ?? Entry()
        let (keys, fetched) = (entry.keys, entry.fetched)
        let age = fetched.map { now - $0 }
        let known = kid.map { keys[$0] != nil } ?? true
        if let age, age < Self.lifetime, known || age < Self.minimumRefresh { return keys }
        var fresh: [String: Ed25519.PublicKey] = [:]
        for key in try await ssi.jwks(tenant: tenant).keys {
            guard let raw = try? Base64URL.decode(key.x), let value = try? Ed25519.PublicKey(rawRepresentation: raw)
            else { continue }
            fresh[key.kid] = value
        }
        state.withLock { entries in
            if entries.count >= Self.capacity {
                entries = entries.filter { $0.value.fetched.map { now - $0 < Self.lifetime } ?? false }
            }
            entries[tenant] = Entry(keys: fresh, fetched: now)
        }
        return fresh
    }
}
