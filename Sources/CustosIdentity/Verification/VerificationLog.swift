/// Collects ``VerificationCheck``s while a verifier runs, so that reports can show what was checked
/// before a failure.
struct VerificationLog: Sendable {
    /// The checks so far, in order.
    private(set) var checks: [VerificationCheck] = []
    /// Prefix for check names, e.g. `credential[0] ` inside a presentation.
    var prefix = ""

    mutating func passed(_ name: String, _ detail: String) {
        checks.append(VerificationCheck(name: prefix + name, outcome: .passed, detail: detail))
    }

    mutating func failed(_ name: String, _ error: IdentityError) {
        checks.append(VerificationCheck(name: prefix + name, outcome: .failed, detail: error.description))
    }

    mutating func skipped(_ name: String, _ detail: String) {
        checks.append(VerificationCheck(name: prefix + name, outcome: .skipped, detail: detail))
    }

    mutating func append(contentsOf other: VerificationLog) {
        checks.append(contentsOf: other.checks)
    }
}
