import CustosAuth
import CustosCore
import Synchronization
import Testing

@Suite("API key verdicts")
struct APIKeyCacheTests {
    /// Counts verifications and answers with a fixed grant.
    final class Verifier: Sendable {
        let calls = Atomic(0)
        let grant: APIKeyGrant?
        init(_ grant: APIKeyGrant?) { self.grant = grant }
        func verify(_ key: SecretToken) -> APIKeyGrant? {
            calls.add(1, ordering: .relaxed)
            return grant
        }
    }

    let acme = APIKeyGrant(tenant: TenantID("acme")!, scopes: ["write"], plan: "standard")

    @Test("a kept verdict is answered without a verification, with the key's id; a malformed text never verifies")
    func hits() async throws {
        let cache = APIKeyCache()
        let verifier = Verifier(acme)
        let key = SecretToken.generate(.apiKey)
        for _ in 0..<3 {
            let verdict = try await cache.verdict(presented: key.secret, as: .apiKey) { verifier.verify($0) }
            #expect(verdict.keyID == key.id && verdict.grant == acme)
        }
        #expect(verifier.calls.load(ordering: .relaxed) == 1)
        await #expect(throws: CredentialError.malformed(.apiKey)) {
            _ = try await cache.verdict(presented: String(key.secret.dropLast()), as: .apiKey) { verifier.verify($0) }
        }
        // The same text as another kind is not the same key.
        await #expect(throws: CredentialError.malformed(.adminToken)) {
            _ = try await cache.verdict(presented: key.secret, as: .adminToken) { verifier.verify($0) }
        }
        #expect(verifier.calls.load(ordering: .relaxed) == 1)
    }

    @Test("verdicts expire: negative ones after their shorter life")
    func expiry() async throws {
        let cache = APIKeyCache(positiveTTL: .seconds(60), negativeTTL: .milliseconds(50))
        let refused = Verifier(nil)
        let key = SecretToken.generate(.apiKey)
        _ = try await cache.verdict(presented: key.secret, as: .apiKey) { refused.verify($0) }
        _ = try await cache.verdict(presented: key.secret, as: .apiKey) { refused.verify($0) }
        #expect(refused.calls.load(ordering: .relaxed) == 1)
        try await Task.sleep(for: .milliseconds(80))
        let verdict = try await cache.verdict(presented: key.secret, as: .apiKey) { refused.verify($0) }
        #expect(verdict.grant == nil)
        #expect(refused.calls.load(ordering: .relaxed) == 2)
    }

    @Test("forgetting a tenant drops its verdicts only; a verification under way meanwhile is not kept")
    func forgetting() async throws {
        let cache = APIKeyCache()
        let acmeKeys = Verifier(acme)
        let other = Verifier(APIKeyGrant(tenant: TenantID("other")!, scopes: nil))
        let acmeKey = SecretToken.generate(.apiKey)
        let otherKey = SecretToken.generate(.apiKey)
        _ = try await cache.verdict(presented: acmeKey.secret, as: .apiKey) { acmeKeys.verify($0) }
        _ = try await cache.verdict(presented: otherKey.secret, as: .apiKey) { other.verify($0) }
        cache.forget(tenant: TenantID("acme")!)
        _ = try await cache.verdict(presented: acmeKey.secret, as: .apiKey) { acmeKeys.verify($0) }
        _ = try await cache.verdict(presented: otherKey.secret, as: .apiKey) { other.verify($0) }
        #expect(acmeKeys.calls.load(ordering: .relaxed) == 2)
        #expect(other.calls.load(ordering: .relaxed) == 1)

        // A tenant suspended while its key was being verified: the verdict read before is not kept.
        let raced = SecretToken.generate(.apiKey)
        _ = try await cache.verdict(presented: raced.secret, as: .apiKey) { key in
            cache.forgetAll()
            return acmeKeys.verify(key)
        }
        _ = try await cache.verdict(presented: raced.secret, as: .apiKey) { acmeKeys.verify($0) }
        #expect(acmeKeys.calls.load(ordering: .relaxed) == 4)
    }

    @Test("past its capacity the cache keeps nothing new until entries expire, and still answers")
    func capacity() async throws {
        let cache = APIKeyCache(capacity: 2)
        let verifier = Verifier(acme)
        let keys = (0..<3).map { _ in SecretToken.generate(.apiKey) }
        for key in keys { _ = try await cache.verdict(presented: key.secret, as: .apiKey) { verifier.verify($0) } }
        let third = try await cache.verdict(presented: keys[2].secret, as: .apiKey) { verifier.verify($0) }
        #expect(third.grant == acme)
        #expect(verifier.calls.load(ordering: .relaxed) == 4)
        _ = try await cache.verdict(presented: keys[0].secret, as: .apiKey) { verifier.verify($0) }
        #expect(verifier.calls.load(ordering: .relaxed) == 4)
    }
}
