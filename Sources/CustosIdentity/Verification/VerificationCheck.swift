/// One check made while verifying, for reports: what was checked and how it came out.
public struct VerificationCheck: Sendable, Hashable, CustomStringConvertible {
    /// How a check came out.
    public enum Outcome: String, Sendable, Hashable {
        /// The check passed.
        case passed
        /// The check failed; the document is not valid.
        case failed
        /// The check could not be made (e.g. a status list was not supplied offline).
        case skipped
    }

    /// A short name, e.g. `signature`, `validity`, `status`.
    public let name: String
    /// The outcome.
    public let outcome: Outcome
    /// What was found, in words.
    public let detail: String

    /// A check result.
    public init(name: String, outcome: Outcome, detail: String) {
        self.name = name
        self.outcome = outcome
        self.detail = detail
    }

    /// `✓ name: detail`, `✗ …` or `– …`.
    public var description: String {
        let mark: String
        switch outcome {
        case .passed: mark = "✓"
        case .failed: mark = "✗"
        case .skipped: mark = "–"
        }
        return "\(mark) \(name): \(detail)"
    }
}
