import CSodium

/// X25519 Diffie-Hellman (RFC 7748) via libsodium's `crypto_scalarmult`.
public enum X25519 {
    /// A Montgomery u-coordinate of a point that is not of low order.
    public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
        /// Size of an encoded public key.
        public static let byteCount = 32

        /// The 32-byte little-endian u-coordinate.
        public let rawRepresentation: [UInt8]

        /// Wraps an encoded key; low-order points throw `.weakKey`.
        ///
        /// libsodium refuses every DH with a low-order point, so such a key is useless for `sharedSecret` and
        /// would make the non-throwing `SealedBox.seal` fail. Rejecting it here moves the error to the trust
        /// boundary where untrusted keys are parsed.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            guard rawRepresentation.count == Self.byteCount else {
                throw .invalidLength(
                    what: "X25519 public key", expected: Self.byteCount, actual: rawRepresentation.count)
            }
            let bytes = Array(rawRepresentation)
            guard !Self.hasLowOrder(bytes) else { throw .weakKey }
            self.rawRepresentation = bytes
        }

        /// Skips the low-order check; only for keys libsodium itself produced, and for tests.
        init(uncheckedRawRepresentation bytes: [UInt8]) {
            rawRepresentation = bytes
        }

        /// A clamped scalar is a multiple of the cofactor 8, so the product is zero exactly for low-order points,
        /// which `crypto_scalarmult` reports as -1. This reuses libsodium's own rule instead of a copied blacklist.
        private static func hasLowOrder(_ point: [UInt8]) -> Bool {
            Sodium.ensureInitialized()
            let scalar = [UInt8](repeating: 0x5a, count: 32)
            var product = [UInt8](repeating: 0, count: 32)
            return crypto_scalarmult(&product, scalar, point) != 0
        }

        /// Hex of the public key; public keys are not secret.
        public var description: String {
            "X25519.PublicKey(\(hexString(rawRepresentation)))"
        }
    }

    /// A 32-byte scalar, wiped on release; libsodium clamps it on use, so unclamped input is fine.
    public struct PrivateKey: Sendable, CustomStringConvertible {
        /// Size of a private scalar.
        public static let byteCount = 32

        private let secret: SecretBytes
        /// The matching public key, computed once because both sides of a handshake need it.
        public let publicKey: PublicKey

        /// Generates a fresh scalar from the OS CSPRNG.
        public init() {
            Sodium.ensureInitialized()
            self.init(secret: SecretBytes(count: Self.byteCount) { randombytes_buf($0, Self.byteCount) })
        }

        /// Wraps an existing scalar (e.g. the output of `Ed25519.PrivateKey.x25519()` persisted elsewhere).
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            guard rawRepresentation.count == Self.byteCount else {
                throw .invalidLength(
                    what: "X25519 private key", expected: Self.byteCount, actual: rawRepresentation.count)
            }
            Sodium.ensureInitialized()
            self.init(secret: SecretBytes(rawRepresentation))
        }

        init(secret: SecretBytes) {
            self.secret = secret
            let publicBytes = makeBytes(count: PublicKey.byteCount) { out in
                secret.withUnsafePointer { sk in
                    // Cannot fail: a clamped scalar times the base point is never the identity.
                    _ = crypto_scalarmult_base(out, sk)
                }
            }
            publicKey = PublicKey(uncheckedRawRepresentation: publicBytes)
        }

        /// Gives libsodium the scalar without an intermediate `Array` copy.
        func withSecretPointer<R>(_ body: (UnsafePointer<UInt8>) -> R) -> R {
            secret.withUnsafePointer(body)
        }

        /// The raw scalar; the caller owns this copy and must treat it as secret.
        public var rawRepresentation: [UInt8] {
            secret.bytes
        }

        /// Raw X25519 output; hash it (e.g. BLAKE2b with both public keys) before using it as a key.
        public func sharedSecret(with peer: PublicKey) throws(CryptoError) -> [UInt8] {
            Sodium.ensureInitialized()
            var status: Int32 = 0
            var shared = makeBytes(count: 32) { out in
                status = secret.withUnsafePointer { sk in
                    crypto_scalarmult(out, sk, peer.rawRepresentation)
                }
            }
            guard status == 0 else {
                // libsodium returns -1 for low-order peers (all-zero output).
                wipe(&shared)
                throw .weakKey
            }
            return shared
        }

        /// Shows only the public half so keys can be logged without leaking the scalar.
        public var description: String {
            "X25519.PrivateKey(public: \(hexString(publicKey.rawRepresentation)))"
        }
    }
}
