import CustosAuth
import CustosCore
import CustosCrypto
import Foundation
import Synchronization

/// Identity tokens this gateway has verified, so that a client sending the same JWT with every request costs one
/// signature check, not one per request (the check and the parsing around it were 12 % of the gateway's CPU
/// during channel writes).
///
/// A token is taken from here only when it is byte for byte the one verified, for the same tenant, still
/// signed by a key the tenant publishes now (a key withdrawn from the JWKS ends its tokens as before, within
/// ``TenantTokenKeys/lifetime``), and not expired at the time of the request. Only verified tokens are kept, so
/// forged ones cannot fill the table; a full table is cleared of expired tokens, or emptied.
final class VerifiedTokens: Sendable {
    /// The token by its hash, so an entry costs the same whatever the token's length (up to 8 KiB).
    private struct Key: Hashable {
        let tenant: TenantID
        let token: [UInt8]
    }

    private struct Entry {
        let claims: IdentityToken
        let keyID: String
        let signer: Ed25519.PublicKey
    }

    static let capacity = 16_384
    private let entries = Mutex([Key: Entry]())

    /// The tenant's published keys, given the `kid` a token names (``TenantTokenKeys/keys(of:for:)``).
    typealias PublishedKeys = @Sendable (_ kid: String?) async throws -> [String: Ed25519.PublicKey]

    /// The claims of `token`, verified against the tenant's keys now or taken from an earlier verification.
    func verify(_ token: String, tenant: TenantID, now: Date, keys: PublishedKeys) async throws -> IdentityToken {
        let key = Key(tenant: tenant, token: BLAKE2b.hash256(Array(token.utf8)))
        if let entry = entries.withLock({ $0[key] }) {
            guard try await keys(entry.keyID)[entry.keyID] == entry.signer else {
                entries.withLock { _ = $0.removeValue(forKey: key) }
                return try await verify(token, tenant: tenant, now: now, keys: keys)
            }
            guard entry.claims.expiresAt + IdentityToken.leeway > Int(now.timeIntervalSince1970) else {
                entries.withLock { _ = $0.removeValue(forKey: key) }
                throw IdentityTokenError.expired
            }
            return entry.claims
        }
        let keyID = IdentityTokenMiddleware.keyID(token)
        let published = try await keys(keyID)
        let claims = try IdentityToken.verify(token, keys: published, tenant: tenant, now: now)
        // The verification found the key by this kid, so both are known here.
        guard let keyID, let signer = published[keyID] else { return claims }
        let seconds = Int(now.timeIntervalSince1970)
        entries.withLock { entries in
            if entries.count >= Self.capacity {
                entries = entries.filter { $0.value.claims.expiresAt + IdentityToken.leeway > seconds }
                if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(claims: claims, keyID: keyID, signer: signer)
        }
        return claims
    }
}
