import CustosClients
import CustosCore
import CustosCrypto
import Foundation
import Synchronization

/// The public keys that sign the tenant's identity tokens, read from the ssi worker's JWKS and kept for a minute;
/// a token signed by a key not yet seen rereads them (at most every 5 seconds, so forged `kid`s cannot make the
/// gateway hammer the worker).
final class TenantTokenKeys: Sendable {
    private struct State {
        var keys: [String: Ed25519.PublicKey] = [:]
        var fetched: ContinuousClock.Instant?
    }

    private let tenant: TenantID
    private let ssi: SSIClient
    private let state = Mutex(State())
    static let lifetime: Duration = .seconds(60)
    static let minimumRefresh: Duration = .seconds(5)

    init(tenant: TenantID, ssi: SSIClient) {
        self.tenant = tenant
        self.ssi = ssi
    }

    /// The keys, refreshed when stale or when `kid` is unknown.
    func keys(for kid: String?) async throws -> [String: Ed25519.PublicKey] {
        let now = ContinuousClock.now
        let (keys, fetched) = state.withLock { ($0.keys, $0.fetched) }
        let age = fetched.map { now - $0 }
        let known = kid.map { keys[$0] != nil } ?? true
        if let age, age < Self.lifetime, known || age < Self.minimumRefresh { return keys }
        var fresh: [String: Ed25519.PublicKey] = [:]
        for key in try await ssi.jwks(tenant: tenant).keys {
            guard let raw = try? Base64URL.decode(key.x), let value = try? Ed25519.PublicKey(rawRepresentation: raw)
            else { continue }
            fresh[key.kid] = value
        }
        state.withLock { $0 = State(keys: fresh, fetched: now) }
        return fresh
    }
}
