/// Every failure CustosCrypto reports; cases carry no secret material, so they are safe to log.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An input had the wrong size; `what` names it for the message (e.g. "Ed25519 seed").
    case invalidLength(what: String, expected: Int, actual: Int)
    /// A parameter is outside the range libsodium accepts; the string explains which and why.
    case invalidParameter(String)
    /// AEAD or sealed-box open failed; deliberately one case so callers cannot build a padding/format oracle.
    case authenticationFailed
    /// An Ed25519 public key could not be mapped to X25519 (not a valid or a small-order point).
    case keyConversionFailed
    /// A Diffie-Hellman result was all zero, i.e. the peer sent a low-order point.
    case weakKey
    /// Argon2id could not allocate the memory the parameters asked for.
    case resourceExhausted

    /// A human-readable message suitable for logs and API error bodies.
    public var description: String {
        switch self {
        case .invalidLength(let what, let expected, let actual):
            return "\(what) must be \(expected) bytes, got \(actual)"
        case .invalidParameter(let message):
            return message
        case .authenticationFailed:
            return "decryption failed: ciphertext, key or associated data do not match"
        case .keyConversionFailed:
            return "key conversion failed: the Ed25519 public key is not a valid point of large order"
        case .weakKey:
            return "weak key: the X25519 shared secret is all zero (peer public key has low order)"
        case .resourceExhausted:
            return "resource exhausted: Argon2id could not allocate the requested memory"
        }
    }
}
