/// The human-readable outcome of ``OfflineVerifier``: what was verified, every check made, and the
/// reason for failure.
public struct VerificationReport: Sendable, CustomStringConvertible {
    /// What kind of document was verified.
    public enum Subject: String, Sendable {
        /// A credential with embedded proofs.
        case credential
        /// A `vc+jwt` credential.
        case jwtCredential = "vc+jwt credential"
        /// A presentation.
        case presentation
        /// A did:custos document version chain.
        case didDocumentChain = "did:custos document chain"
        /// An Integration Services did:iota root document.
        case iotaDocument = "did:iota document"
        /// Something that could not be recognised.
        case unknown = "document"
    }

    /// The kind of document.
    public let subject: Subject
    /// One line naming it, e.g. `credential urn:uuid:… issued by did:custos:…`.
    public let title: String
    /// Every check, in order.
    public let checks: [VerificationCheck]
    /// The failure, if verification failed.
    public let error: IdentityError?

    /// Whether the document verified: no error and no failed check.
    public var isValid: Bool {
        error == nil && !checks.contains { $0.outcome == .failed }
    }

    /// The checks that failed (empty when the document is valid).
    public var failures: [VerificationCheck] {
        checks.filter { $0.outcome == .failed }
    }

    /// The report as text lines: the title with VALID or INVALID, one indented line per check, then the
    /// reason for failure.
    public var lines: [String] {
        var lines = ["\(title): \(isValid ? "VALID" : "INVALID")"]
        lines.append(contentsOf: checks.map { "  \($0)" })
        if let error {
            lines.append("reason: \(error.description)")
        }
        return lines
    }

    /// ``lines`` joined with newlines.
    public var description: String {
        lines.joined(separator: "\n")
    }
}
