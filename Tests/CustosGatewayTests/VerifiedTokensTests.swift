import CustosAuth
import CustosCore
import CustosCrypto
import Foundation
import Synchronization
import Testing

@testable import CustosGateway

@Suite("Verified identity tokens kept by the gateway")
struct VerifiedTokensTests {
    let tenant = TenantID("acme")!
    let signer = Ed25519.PrivateKey()
    let issued = Date(timeIntervalSince1970: 1_800_000_000)

    func token(_ key: Ed25519.PrivateKey? = nil, kid: String = "key-1", tenant: TenantID? = nil) throws -> String {
        try IdentityToken(
            subject: "did:key:alice", username: "alice", role: "User", tenant: tenant ?? self.tenant,
            issuer: "did:key:root", now: issued
        ).signed(with: key ?? signer, keyID: kid)
    }

    /// A JWKS that counts how often it is asked and can be changed between requests.
    final class Published: Sendable {
        let keys: Mutex<[String: Ed25519.PublicKey]>
        let asked = Mutex(0)
        init(_ keys: [String: Ed25519.PublicKey]) { self.keys = Mutex(keys) }
        var lookup: VerifiedTokens.PublishedKeys {
            { _ in
                self.asked.withLock { $0 += 1 }
                return self.keys.withLock { $0 }
            }
        }
    }

    /// A cache that verified a fresh token once, with the JWKS it used.
    func verifiedOnce() async throws -> (VerifiedTokens, Published, String, IdentityToken) {
        let cache = VerifiedTokens()
        let published = Published(["key-1": signer.publicKey])
        let jwt = try token()
        return (cache, published, jwt, try await cache.verify(jwt, tenant: tenant, now: issued, keys: published.lookup))
    }

    @Test("the same token is verified once and then answered with the same claims while its key is published")
    func keptWhileValid() async throws {
        let (cache, published, jwt, first) = try await verifiedOnce()
        let again = try await cache.verify(jwt, tenant: tenant, now: issued + 60, keys: published.lookup)
        #expect(first == again)
        #expect(first.subject == "did:key:alice")
        #expect(published.asked.withLock { $0 } == 2, "each use still checks the key is published")
    }

    @Test("a token that differs in one character is verified anew and refused")
    func alteredTokenRefused() async throws {
        let (cache, published, jwt, _) = try await verifiedOnce()
        var altered = Array(jwt)
        altered[altered.count - 2] = altered[altered.count - 2] == "A" ? "B" : "A"
        await #expect(throws: IdentityTokenError.invalidSignature) {
            try await cache.verify(String(altered), tenant: tenant, now: issued, keys: published.lookup)
        }
    }

    @Test("a kept token stops working once its key is withdrawn or replaced under the same kid")
    func withdrawnKeyEndsIt() async throws {
        let (cache, published, jwt, _) = try await verifiedOnce()
        published.keys.withLock { $0 = ["key-1": Ed25519.PrivateKey().publicKey] }
        await #expect(throws: IdentityTokenError.invalidSignature) {
            try await cache.verify(jwt, tenant: tenant, now: issued, keys: published.lookup)
        }
        published.keys.withLock { $0 = [:] }
        await #expect(throws: IdentityTokenError.unknownKey) {
            try await cache.verify(jwt, tenant: tenant, now: issued, keys: published.lookup)
        }
    }

    @Test("a kept token expires at its exp (with the leeway), and is not accepted for another tenant")
    func expiryAndAudience() async throws {
        let (cache, published, jwt, _) = try await verifiedOnce()
        let end = issued + Double(IdentityToken.lifetime + IdentityToken.leeway)
        _ = try await cache.verify(jwt, tenant: tenant, now: end - 1, keys: published.lookup)
        await #expect(throws: IdentityTokenError.expired) {
            try await cache.verify(jwt, tenant: tenant, now: end, keys: published.lookup)
        }
        let other = try await cache.verify(
            try token(tenant: TenantID("other")!), tenant: TenantID("other")!,
            now: issued, keys: published.lookup)
        #expect(other.tenant == TenantID("other")!)
        await #expect(throws: IdentityTokenError.wrongAudience) {
            try await cache.verify(jwt, tenant: TenantID("other")!, now: issued, keys: published.lookup)
        }
    }
}
