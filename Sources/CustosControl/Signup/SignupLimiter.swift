import Synchronization

/// Bounds self-service signups so they cannot exhaust the platform: at most ``perAddress`` per client address
/// and ``perPlatform`` in all within a sliding ``window``, counted in the control plane's memory (a restart
/// forgets them; the platform's capacity limits still hold). A bound of 0 turns signup off.
final class SignupLimiter: Sendable {
    /// A refusal: who hit which bound, and when to come back.
    struct Refusal: Sendable, Equatable {
        var message: String
        var retryAfter: Int
    }

    let perAddress: Int
    let perPlatform: Int
    let window: Duration
    /// Addresses tracked before the oldest are forgotten.
    static let capacity = 100_000

    private struct State {
        var byAddress: [String: [ContinuousClock.Instant]] = [:]
        var all: [ContinuousClock.Instant] = []
    }

    private let state = Mutex(State())

    init(perAddress: Int = 3, perPlatform: Int = 100, window: Duration = .seconds(3600)) {
        self.perAddress = perAddress
        self.perPlatform = perPlatform
        self.window = window
    }

    /// Counts a signup from `address` at `now`, or refuses it.
    func admit(_ address: String, now: ContinuousClock.Instant = .now) -> Refusal? {
        guard perAddress > 0, perPlatform > 0 else {
            return Refusal(message: "self-service signup is turned off on this platform", retryAfter: 3600)
        }
        let start = now - window
        return state.withLock { state in
            state.all.removeAll { $0 <= start }
            var mine = (state.byAddress[address] ?? []).filter { $0 > start }
            if mine.count >= perAddress, let oldest = mine.first {
                return Refusal(
                    message: "at most \(perAddress) signups an hour come from one address; retry later",
                    retryAfter: Self.seconds(until: oldest + window, from: now))
            }
            if state.all.count >= perPlatform, let oldest = state.all.first {
                return Refusal(
                    message: "the platform takes at most \(perPlatform) signups an hour; retry later",
                    retryAfter: Self.seconds(until: oldest + window, from: now))
            }
            if state.byAddress.count >= Self.capacity {
                state.byAddress = state.byAddress.filter { $0.value.contains { $0 > start } }
            }
            mine.append(now)
            state.byAddress[address] = mine
            state.all.append(now)
            return nil
        }
    }

    private static func seconds(until instant: ContinuousClock.Instant, from now: ContinuousClock.Instant) -> Int {
        max(1, Int((instant - now).components.seconds) + 1)
    }
}
