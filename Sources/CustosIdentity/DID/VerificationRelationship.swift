/// A DID Core verification relationship; also the value of a proof's `proofPurpose`.
public enum VerificationRelationship: String, Sendable, CaseIterable, Hashable {
    /// Proving control of the DID (log-in, presentations).
    case authentication
    /// Issuing credentials and other assertions.
    case assertionMethod
    /// Encrypting to the DID subject (X25519).
    case keyAgreement
    /// Invoking capabilities; for did:custos, signing the next document version.
    case capabilityInvocation
    /// Delegating capabilities to others.
    case capabilityDelegation
}
