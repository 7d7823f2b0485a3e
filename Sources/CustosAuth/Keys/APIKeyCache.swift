import CustosCore
import Synchronization

/// Remembers recent API key verdicts so a busy integrator costs no database round trip per request.
///
/// Positive verdicts live a few seconds (bounding how long a revoked key keeps working); negative ones
/// live briefly too, so guessing keys cannot hammer the database. A change of a tenant's state (suspended,
/// resumed, deleted) does not wait for that: ``forget(tenant:)`` drops the tenant's verdicts at once, and
/// ``forgetAll()`` every verdict, when changes may have been missed; a verification that was under way while
/// verdicts were dropped is answered but not kept, as it may have read the state from before the change.
///
/// Verdicts are kept by the text presented, so a hit costs neither the key's parsing (base58 and its
/// checksum) nor its hash; only a text that parses as a key is ever kept. A lock rather than an actor: every
/// request of the API asks, and a lookup is shorter than a hop to an actor's executor.
public final class APIKeyCache: Sendable {
    /// What is known of a presented key.
    public struct Verdict: Sendable, Equatable {
        /// The key's public identifier (``SecretToken/id``).
        public var keyID: String
        /// The key's grant, or nil for a key that is not valid.
        public var grant: APIKeyGrant?
    }

    private struct Entry {
        var verdict: Verdict
        var expires: ContinuousClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Advanced whenever verdicts are dropped; a verification begun under an older one is not kept.
        var generation = 0
    }

    private let positiveTTL: Duration
    private let negativeTTL: Duration
    private let capacity: Int
    private let state = Mutex(State())

    public init(positiveTTL: Duration = .seconds(5), negativeTTL: Duration = .seconds(1), capacity: Int = 10_000) {
        self.positiveTTL = positiveTTL
        self.negativeTTL = negativeTTL
        self.capacity = capacity
    }

    /// The cached verdict of the `presented` text, or the result of `verify` with the key it parses as, which is
    /// then cached. A text that is not a well-formed key of `kind` throws ``CredentialError/malformed(_:)``
    /// without a verification.
    public func verdict(
        presented: some StringProtocol, as kind: SecretToken.Kind,
        verify: @Sendable (SecretToken) async throws -> APIKeyGrant?
    ) async throws -> Verdict {
        let text = String(presented)
        // Every kept text parsed as its kind, and kinds differ in their prefix.
        guard text.hasPrefix(kind.rawValue) else { throw CredentialError.malformed(kind) }
        let now = ContinuousClock.now
        let (cached, generation) = state.withLock { state in
            (state.entries[text].flatMap { $0.expires > now ? $0.verdict : nil }, state.generation)
        }
        if let cached { return cached }
        let key = try SecretToken(parsing: text, as: kind)
        let verdict = Verdict(keyID: key.id, grant: try await verify(key))
        let expires = now + (verdict.grant != nil ? positiveTTL : negativeTTL)
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= capacity { state.entries = state.entries.filter { $0.value.expires > now } }
            if state.entries.count < capacity { state.entries[text] = Entry(verdict: verdict, expires: expires) }
        }
        return verdict
    }

    /// Drops the verdicts of `tenant`'s keys, so its next request is verified again.
    public func forget(tenant: TenantID) {
        state.withLock { state in
            state.entries = state.entries.filter { $0.value.verdict.grant?.tenant != tenant }
            state.generation += 1
        }
    }

    /// Drops every verdict.
    public func forgetAll() {
        state.withLock { state in
            state.entries = [:]
            state.generation += 1
        }
    }
}
