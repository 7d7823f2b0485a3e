/// The answer to a request, with the policies that determined it and the policies that failed to evaluate.
public struct Decision: Sendable, Equatable {
    /// Allow or deny.
    public enum Effect: String, Sendable, Equatable {
        /// At least one permit policy is satisfied and no forbid policy is.
        case allow
        /// A forbid policy is satisfied, or no permit policy is (default deny).
        case deny
    }

    /// A policy whose scope matched but whose condition could not be evaluated; it was skipped.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        /// The policy's id.
        public let policy: String
        /// What went wrong, such as `entity ApiKey::"k" does not exist`.
        public let message: String

        /// `policy <id>: <message>`.
        public var description: String { "error while evaluating policy \(policy): \(message)" }
    }

    /// The decision.
    public let effect: Effect
    /// The ids of the policies that determined it: the satisfied forbids for a deny by forbid, the satisfied permits
    /// for an allow, none for a default deny.
    public let reasons: [String]
    /// The policies that were skipped because their condition raised an error.
    public let failures: [Failure]

    /// Whether the request is allowed.
    public var isAllowed: Bool { effect == .allow }

    /// The failures as messages.
    public var errors: [String] { failures.map(\.description) }
}
