/// A token bucket: it holds at most `burst` tokens, refills at `perSecond` tokens a second, and each request
/// takes one.
struct TokenBucket: Sendable, Equatable {
    /// What taking a token found.
    struct Decision: Sendable, Equatable {
        /// Whether the request may go on.
        var allowed: Bool
        /// Whole tokens left after it.
        var remaining: Int
        /// Seconds until the bucket is full again (RateLimit's `t`).
        var secondsToFull: Int
        /// Seconds until the next token, when refused (Retry-After).
        var retryAfter: Int
    }

    let perSecond: Double
    let burst: Double
    private(set) var tokens: Double
    private(set) var updated: ContinuousClock.Instant

    init(perSecond: Int, burst: Int, now: ContinuousClock.Instant) {
        self.perSecond = Double(perSecond)
        self.burst = Double(burst)
        tokens = Double(burst)
        updated = now
    }

    /// Whether the bucket is full at `now`: such a bucket can be forgotten, as a new one starts full.
    func isFull(at now: ContinuousClock.Instant) -> Bool {
        tokens + Self.seconds(now - updated) * perSecond >= burst
    }

    /// Refills for the time since the last request and takes one token when there is one.
    mutating func take(now: ContinuousClock.Instant) -> Decision {
        refill(now: now)
        let allowed = hasToken
        if allowed { consume() }
        return decision(allowed: allowed)
    }

    /// Adds the tokens the time since the last refill gave.
    mutating func refill(now: ContinuousClock.Instant) {
        tokens = min(burst, tokens + Self.seconds(now - updated) * perSecond)
        updated = now
    }

    /// Whether a request may take a token now.
    var hasToken: Bool { tokens >= 1 }

    /// Takes one token; only after ``hasToken`` said there is one.
    mutating func consume() { tokens -= 1 }

    /// What a request that was `allowed` (and took its token) or refused finds.
    func decision(allowed: Bool) -> Decision {
        Decision(
            allowed: allowed, remaining: Int(tokens.rounded(.down)),
            secondsToFull: Int(((burst - tokens) / perSecond).rounded(.up)),
            retryAfter: allowed ? 0 : max(1, Int(((1 - tokens) / perSecond).rounded(.up))))
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return max(0, Double(seconds) + Double(attoseconds) / 1e18)
    }
}
