/// Bounds self-service signups so they cannot exhaust the platform: at most ``perAddress`` per client address
/// and ``perPlatform`` in all within a sliding ``window``. They are counted in PostgreSQL
/// (``ControlStore/countSignup(address:perAddress:perPlatform:window:)``), so the bounds hold for all control-plane
/// replicas together and across restarts. A bound of 0 turns signup off.
struct SignupLimiter: Sendable {
    /// A refusal: who hit which bound, and when to come back.
    struct Refusal: Sendable, Equatable {
        var message: String
        var retryAfter: Int
    }

    let store: ControlStore
    let perAddress: Int
    let perPlatform: Int
    let window: Duration

    init(store: ControlStore, perAddress: Int = 3, perPlatform: Int = 100, window: Duration = .seconds(3600)) {
        self.store = store
        self.perAddress = perAddress
        self.perPlatform = perPlatform
        self.window = window
    }

    /// Counts a signup from `address`, or refuses it.
    func admit(_ address: String) async throws -> Refusal? {
        guard perAddress > 0, perPlatform > 0 else {
            return Refusal(message: "self-service signup is turned off on this platform", retryAfter: 3600)
        }
        switch try await store.countSignup(
            address: address, perAddress: perAddress, perPlatform: perPlatform, window: window)
        {
        case .admitted:
            return nil
        case .addressFull(let retryAfter):
            return Refusal(
                message: "at most \(perAddress) signups \(Self.per(window)) come from one address; retry later",
                retryAfter: retryAfter)
        case .platformFull(let retryAfter):
            return Refusal(
                message: "the platform takes at most \(perPlatform) signups \(Self.per(window)); retry later",
                retryAfter: retryAfter)
        }
    }

    /// "an hour", or the window in seconds when it is not one.
    private static func per(_ window: Duration) -> String {
        window == .seconds(3600) ? "an hour" : "within \(window.components.seconds) s"
    }
}
