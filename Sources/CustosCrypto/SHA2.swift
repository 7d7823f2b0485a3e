import CSodium

/// SHA-256 (FIPS 180-4), needed where standards mandate it (RFC 6962 logs, eddsa-jcs-2022, signed notes).
public enum SHA256 {
    /// Digest size.
    public static let byteCount = 32

    /// One-shot digest.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Incremental SHA-256; a value type, so copying forks the state.
    public struct Hasher: Sendable {
        private var state = crypto_hash_sha256_state()

        /// Starts an empty hash.
        public init() {
            Sodium.ensureInitialized()
            _ = crypto_hash_sha256_init(&state)
        }

        /// Absorbs more input.
        public mutating func update(_ bytes: some Collection<UInt8>) {
            bytes.withContiguousBytes { input, count in
                _ = crypto_hash_sha256_update(&state, input, UInt64(count))
            }
        }

        /// Digest of everything absorbed so far; works on a copy, so the hasher stays usable.
        public func finalize() -> [UInt8] {
            var copy = state
            return makeBytes(count: SHA256.byteCount) { out in
                _ = crypto_hash_sha256_final(&copy, out)
            }
        }
    }
}

/// SHA-512 (FIPS 180-4), e.g. for Ed25519-related derivations and interop vectors.
public enum SHA512 {
    /// Digest size.
    public static let byteCount = 64

    /// One-shot digest.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Hasher()
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Incremental SHA-512; a value type, so copying forks the state.
    public struct Hasher: Sendable {
        private var state = crypto_hash_sha512_state()

        /// Starts an empty hash.
        public init() {
            Sodium.ensureInitialized()
            _ = crypto_hash_sha512_init(&state)
        }

        /// Absorbs more input.
        public mutating func update(_ bytes: some Collection<UInt8>) {
            bytes.withContiguousBytes { input, count in
                _ = crypto_hash_sha512_update(&state, input, UInt64(count))
            }
        }

        /// Digest of everything absorbed so far; works on a copy, so the hasher stays usable.
        public func finalize() -> [UInt8] {
            var copy = state
            return makeBytes(count: SHA512.byteCount) { out in
                _ = crypto_hash_sha512_final(&copy, out)
            }
        }
    }
}
