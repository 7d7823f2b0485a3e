import CSodium

/// Ed25519 signatures (RFC 8032, pure mode), deterministic as implemented by libsodium.
public enum Ed25519 {
    /// Size of a detached signature.
    public static let signatureByteCount = 64

    /// A verification key; any 32 bytes are accepted here, invalid points simply never verify.
    public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
        /// Size of an encoded public key.
        public static let byteCount = 32

        /// The 32-byte compressed Edwards point.
        public let rawRepresentation: [UInt8]

        /// Wraps an encoded key; only the length is checked so placeholders (e.g. all zero) stay representable.
        public init(rawRepresentation: some Collection<UInt8>) throws(CryptoError) {
            guard rawRepresentation.count == Self.byteCount else {
                throw .invalidLength(
                    what: "Ed25519 public key", expected: Self.byteCount, actual: rawRepresentation.count)
            }
            self.rawRepresentation = Array(rawRepresentation)
        }

        /// Verifies a detached signature; malformed input of any kind yields `false` rather than trapping.
        public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
            guard signature.count == Ed25519.signatureByteCount else { return false }
            Sodium.ensureInitialized()
            return signature.withContiguousBytes { sig, _ in
                message.withContiguousBytes { msg, msgCount in
                    crypto_sign_verify_detached(sig, msg, UInt64(msgCount), rawRepresentation) == 0
                }
            }
        }

        /// The birationally equivalent Montgomery key, as did:key and libsodium derive key-agreement keys.
        public func x25519() throws(CryptoError) -> X25519.PublicKey {
            Sodium.ensureInitialized()
            var status: Int32 = 0
            let converted = makeBytes(count: X25519.PublicKey.byteCount) { out in
                status = crypto_sign_ed25519_pk_to_curve25519(out, rawRepresentation)
            }
            // libsodium rejects small-order and non-canonical points here, so the result needs no further check.
            guard status == 0 else { throw .keyConversionFailed }
            return X25519.PublicKey(uncheckedRawRepresentation: converted)
        }

        /// Hex of the public key; public keys are not secret.
        public var description: String {
            "Ed25519.PublicKey(\(hexString(rawRepresentation)))"
        }
    }

    /// A signing key, stored as libsodium's 64-byte `seed ‖ public key` secret key and wiped on release.
    public struct PrivateKey: Sendable, CustomStringConvertible {
        /// Size of the RFC 8032 private key (the seed).
        public static let seedByteCount = 32
        private static let secretKeyByteCount = 64

        private let secretKey: SecretBytes
        /// The matching verification key, cached because callers need it next to almost every signature.
        public let publicKey: PublicKey

        /// Generates a fresh key from the OS CSPRNG.
        public init() {
            Sodium.ensureInitialized()
            self.init(validatedSeed: SecretBytes(count: Self.seedByteCount) { randombytes_buf($0, Self.seedByteCount) })
        }

        /// Derives the key pair deterministically from a 32-byte RFC 8032 seed.
        public init(seed: some Collection<UInt8>) throws(CryptoError) {
            guard seed.count == Self.seedByteCount else {
                throw .invalidLength(what: "Ed25519 seed", expected: Self.seedByteCount, actual: seed.count)
            }
            Sodium.ensureInitialized()
            self.init(validatedSeed: SecretBytes(seed))
        }

        private init(validatedSeed seed: SecretBytes) {
            var publicBytes = [UInt8](repeating: 0, count: PublicKey.byteCount)
            secretKey = SecretBytes(count: Self.secretKeyByteCount) { sk in
                seed.withUnsafePointer { seedPointer in
                    _ = crypto_sign_seed_keypair(&publicBytes, sk, seedPointer)
                }
            }
            // The length is fixed above, so this cannot throw.
            publicKey = try! PublicKey(rawRepresentation: publicBytes)
        }

        /// The 32-byte seed; the caller owns this copy and should not log or persist it unencrypted.
        public var seed: [UInt8] {
            makeBytes(count: Self.seedByteCount) { out in
                secretKey.withUnsafePointer { out.update(from: $0, count: Self.seedByteCount) }
            }
        }

        /// Signs `message`; RFC 8032 signing is deterministic, so equal inputs give equal signatures.
        public func signature(for message: some Collection<UInt8>) -> [UInt8] {
            Sodium.ensureInitialized()
            return makeBytes(count: Ed25519.signatureByteCount) { out in
                message.withContiguousBytes { msg, msgCount in
                    secretKey.withUnsafePointer { sk in
                        _ = crypto_sign_detached(out, nil, msg, UInt64(msgCount), sk)
                    }
                }
            }
        }

        /// The clamped X25519 scalar `clamp(SHA-512(seed)[0..<32])`, matching `x25519()` on the public key.
        public func x25519() -> X25519.PrivateKey {
            Sodium.ensureInitialized()
            let scalar = SecretBytes(count: X25519.PrivateKey.byteCount) { out in
                secretKey.withUnsafePointer { sk in
                    _ = crypto_sign_ed25519_sk_to_curve25519(out, sk)
                }
            }
            return X25519.PrivateKey(secret: scalar)
        }

        /// Shows only the public half so keys can be logged without leaking the seed.
        public var description: String {
            "Ed25519.PrivateKey(public: \(hexString(publicKey.rawRepresentation)))"
        }
    }
}
