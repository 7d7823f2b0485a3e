import CustosCrypto

/// An Ed25519 signed-note signer: a key name with a private key.
public struct NoteSigner: Sendable {
    /// The public half, as verifiers are configured with it.
    public let verifierKey: NoteVerifierKey
    private let privateKey: Ed25519.PrivateKey

    /// Pairs a key name with a private key; the name must be a valid key name.
    public init(name: String, privateKey: Ed25519.PrivateKey) throws(NoteError) {
        verifierKey = try NoteVerifierKey(name: name, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    /// The key name.
    public var name: String { verifierKey.name }

    /// Signs a note text, which must be non-empty and end with a newline.
    public func sign(text: String) throws(NoteError) -> NoteSignature {
        guard text.hasSuffix("\n") else { throw .textNotNewlineTerminated }
        return NoteSignature(
            keyName: name, keyID: verifierKey.keyID, signature: privateKey.signature(for: Array(text.utf8)))
    }
}
