import CustosCore

/// A presentation that passed verification.
public struct VerifiedPresentation: Sendable {
    /// The presentation JSON.
    public let json: JSONValue
    /// The holder DID, proven by the presentation's proof.
    public let holder: DID
    /// The presentation's proofs.
    public let proofs: [VerifiedProof]
    /// The presented credentials, each verified.
    public let credentials: [VerifiedCredential]
    /// Every check made, in order (credential checks prefixed with `credential[i]`).
    public let checks: [VerificationCheck]
}
