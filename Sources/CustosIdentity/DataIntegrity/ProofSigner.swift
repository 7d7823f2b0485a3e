/// Something that signs proof bytes with the key of one verification method (in memory, or in custody).
public protocol ProofSigner: Sendable {
    /// The DID URL of the verification method whose key signs, written into the proof.
    var verificationMethod: String { get }
    /// The Ed25519 signature of `message`.
    func sign(_ message: [UInt8]) throws(IdentityError) -> [UInt8]
}
