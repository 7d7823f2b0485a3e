import CustosCrypto

/// A ``ProofSigner`` over an in-memory Ed25519 private key.
public struct Ed25519Signer: ProofSigner {
    /// The DID URL of the verification method.
    public let verificationMethod: String
    private let privateKey: Ed25519.PrivateKey

    /// Signs as `verificationMethod` with `privateKey`.
    public init(privateKey: Ed25519.PrivateKey, verificationMethod: String) {
        self.privateKey = privateKey
        self.verificationMethod = verificationMethod
    }

    /// Signs as the did:key of `privateKey` (`did:key:<mb>#<mb>`).
    public init(didKey privateKey: Ed25519.PrivateKey) {
        self.privateKey = privateKey
        self.verificationMethod = DIDKey.verificationMethodID(for: privateKey.publicKey).description
    }

    /// The public key, for building documents.
    public var publicKey: Ed25519.PublicKey { privateKey.publicKey }

    /// The deterministic RFC 8032 signature of `message`.
    public func sign(_ message: [UInt8]) throws(IdentityError) -> [UInt8] {
        privateKey.signature(for: message)
    }
}
