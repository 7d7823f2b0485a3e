/// One edge of a trust chain: `issuer` vouched for `subject` with a verified VerifiedIdentityCredential.
public struct TrustLink: Sendable, Hashable, CustomStringConvertible {
    /// The DID that issued the link credential.
    public let issuer: DID
    /// The DID the credential is about.
    public let subject: DID
    /// The link credential's id, if it has one.
    public let credentialID: String?

    /// A link.
    public init(issuer: DID, subject: DID, credentialID: String?) {
        self.issuer = issuer
        self.subject = subject
        self.credentialID = credentialID
    }

    /// `issuer → subject (credential id)`.
    public var description: String {
        "\(issuer) → \(subject)" + (credentialID.map { " (\($0))" } ?? "")
    }
}
