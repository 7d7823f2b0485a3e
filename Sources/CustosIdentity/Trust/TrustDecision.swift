/// The outcome of a trust evaluation.
public enum TrustDecision: Sendable {
    /// The DID is trusted: `chain` leads from a trusted root to it (empty when it is a root itself).
    case trusted(chain: [TrustLink])
    /// The DID is not trusted, for these reasons (no path, path too deep, rejected link credentials).
    case untrusted(reasons: [String])

    /// Whether the DID is trusted.
    public var isTrusted: Bool {
        if case .trusted = self { return true }
        return false
    }

    /// The chain, or ``IdentityError/untrustedIssuer(issuer:reasons:)`` naming `issuer`.
    public func requireTrusted(_ issuer: DID) throws(IdentityError) -> [TrustLink] {
        switch self {
        case .trusted(let chain):
            return chain
        case .untrusted(let reasons):
            throw IdentityError.untrustedIssuer(issuer: issuer.description, reasons: reasons)
        }
    }
}
