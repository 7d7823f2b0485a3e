import CustosCrypto

/// The random choices of one sealed part: the ephemeral X25519 key and the XChaCha20 nonce.
///
/// Fresh by default; fixed values are for test vectors only, since reusing them across packets reuses a key.
public struct SealingRandomness: Sendable {
    /// The per-message ephemeral key.
    public let ephemeralKey: X25519.PrivateKey
    /// The 24-byte nonce.
    public let nonce: [UInt8]

    /// Fresh values from the OS CSPRNG.
    public init() {
        ephemeralKey = X25519.PrivateKey()
        nonce = SecureRandom.bytes(count: XChaCha20Poly1305.nonceByteCount)
    }

    /// Fixed values, for test vectors.
    public init(ephemeralKey: X25519.PrivateKey, nonce: [UInt8]) throws(StreamsError) {
        guard nonce.count == XChaCha20Poly1305.nonceByteCount else {
            throw .invalidRequest("a sealing nonce must be \(XChaCha20Poly1305.nonceByteCount) bytes")
        }
        self.ephemeralKey = ephemeralKey
        self.nonce = nonce
    }
}
