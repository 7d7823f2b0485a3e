import CSodium

/// A 256-bit secret key for XChaCha20-Poly1305 (and keyed BLAKE2b), wiped on release.
public struct SymmetricKey: Sendable, CustomStringConvertible {
    /// Size of every symmetric key in Custos.
    public static let byteCount = 32

    private let secret: SecretBytes

    /// Generates a fresh key from the OS CSPRNG.
    public init() {
        Sodium.ensureInitialized()
        secret = SecretBytes(count: Self.byteCount) { randombytes_buf($0, Self.byteCount) }
    }

    /// Wraps existing key material (e.g. an Argon2id output or an unwrapped stored key).
    public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
        guard rawRepresentation.count == Self.byteCount else {
            throw .invalidLength(what: "symmetric key", expected: Self.byteCount, actual: rawRepresentation.count)
        }
        secret = SecretBytes(rawRepresentation)
    }

    /// The raw key; the caller owns this copy and must treat it as secret.
    public var rawRepresentation: [UInt8] {
        secret.bytes
    }

    /// Gives libsodium the key without an intermediate `Array` copy.
    func withSecretPointer<R>(_ body: (UnsafePointer<UInt8>) -> R) -> R {
        secret.withUnsafePointer(body)
    }

    /// Never reveals key material, so keys can appear in logs and debug output.
    public var description: String {
        "SymmetricKey(\(Self.byteCount) bytes, redacted)"
    }
}
