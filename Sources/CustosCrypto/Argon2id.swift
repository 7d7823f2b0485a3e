import CSodium

/// Argon2id v1.3 password hashing and key derivation (`crypto_pwhash`, RFC 9106).
public enum Argon2id {
    /// Required salt size for `deriveKey`.
    public static let saltByteCount = Int(crypto_pwhash_argon2id_SALTBYTES)
    /// Smallest key `deriveKey` will produce.
    public static let minimumOutputByteCount = Int(crypto_pwhash_argon2id_BYTES_MIN)

    /// Work factors: `opsLimit` passes over `memLimit` bytes of memory.
    public struct Parameters: Sendable, Equatable {
        /// Number of passes (Argon2 `t`); at least 1 for Argon2id.
        public var opsLimit: Int
        /// Memory in bytes (Argon2 `m` × 1024); at least 8 KiB.
        public var memLimit: Int

        /// Custom work factors; they are validated when used, not here.
        public init(opsLimit: Int, memLimit: Int) {
            self.opsLimit = opsLimit
            self.memLimit = memLimit
        }

        /// 2 passes, 64 MiB: for interactive logins (about 0.1 s on the reference machine).
        public static let interactive = Parameters(
            opsLimit: crypto_pwhash_argon2id_opslimit_interactive(),
            memLimit: crypto_pwhash_argon2id_memlimit_interactive())

        /// 3 passes, 256 MiB: for keys that protect stored secrets (about 0.9 s on the reference machine).
        public static let moderate = Parameters(
            opsLimit: crypto_pwhash_argon2id_opslimit_moderate(),
            memLimit: crypto_pwhash_argon2id_memlimit_moderate())

        /// The legal minimum (1 pass, 8 KiB); offers no real protection, for tests only.
        public static let minimal = Parameters(
            opsLimit: crypto_pwhash_argon2id_opslimit_min(),
            memLimit: crypto_pwhash_argon2id_memlimit_min())

        /// Throws unless libsodium would accept these limits for Argon2id.
        func validate() throws(CryptoError) {
            let ops = crypto_pwhash_argon2id_opslimit_min()...crypto_pwhash_argon2id_opslimit_max()
            guard ops.contains(opsLimit) else {
                throw .invalidParameter("Argon2id opsLimit must be in \(ops), got \(opsLimit)")
            }
            let mem = crypto_pwhash_argon2id_memlimit_min()...crypto_pwhash_argon2id_memlimit_max()
            guard mem.contains(memLimit) else {
                throw .invalidParameter("Argon2id memLimit must be in \(mem), got \(memLimit)")
            }
        }
    }

    /// Derives `outputByteCount` bytes from a password and a 16-byte salt; deterministic for equal inputs.
    public static func deriveKey(
        password: some Collection<UInt8>,
        salt: some Collection<UInt8>,
        outputByteCount: Int,
        parameters: Parameters
    ) throws(CryptoError) -> [UInt8] {
        guard salt.count == saltByteCount else {
            throw .invalidLength(what: "Argon2id salt", expected: saltByteCount, actual: salt.count)
        }
        let outputRange = minimumOutputByteCount...Int(UInt32.max)
        guard outputRange.contains(outputByteCount) else {
            throw .invalidParameter(
                "Argon2id output must be at least \(minimumOutputByteCount) bytes, got \(outputByteCount)")
        }
        try parameters.validate()
        Sodium.ensureInitialized()
        var status: Int32 = 0
        var key = password.withContiguousBytes { passwordPointer, passwordCount in
            salt.withContiguousBytes { saltPointer, _ in
                makeBytes(count: outputByteCount) { out in
                    passwordPointer.withMemoryRebound(to: CChar.self, capacity: passwordCount) { passwordChars in
                        status = crypto_pwhash(
                            out, UInt64(outputByteCount), passwordChars, UInt64(passwordCount), saltPointer,
                            UInt64(parameters.opsLimit), parameters.memLimit, crypto_pwhash_alg_argon2id13())
                    }
                }
            }
        }
        guard status == 0 else {
            wipe(&key)
            // Parameters and lengths were validated above, so the remaining failure is allocation.
            throw .resourceExhausted
        }
        return key
    }

    /// Hashes a password into a self-describing `$argon2id$v=19$m=…,t=…,p=1$salt$hash` string with a random salt.
    public static func hashPassword(
        _ password: some Collection<UInt8>,
        parameters: Parameters = .interactive
    ) throws(CryptoError) -> String {
        try parameters.validate()
        Sodium.ensureInitialized()
        var buffer = [CChar](repeating: 0, count: Int(crypto_pwhash_argon2id_STRBYTES))
        let status = password.withContiguousBytes { passwordPointer, passwordCount in
            passwordPointer.withMemoryRebound(to: CChar.self, capacity: passwordCount) { passwordChars in
                crypto_pwhash_argon2id_str(
                    &buffer, passwordChars, UInt64(passwordCount), UInt64(parameters.opsLimit), parameters.memLimit)
            }
        }
        guard status == 0 else { throw .resourceExhausted }
        let terminator = buffer.firstIndex(of: 0) ?? buffer.endIndex
        return String(decoding: buffer[..<terminator].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Checks a password against a stored Argon2id hash string; malformed hashes simply fail.
    public static func verifyPassword(_ password: some Collection<UInt8>, hash: String) -> Bool {
        // Only Argon2id strings are accepted; an embedded NUL would let C see a different string than Swift.
        guard hash.hasPrefix("$argon2id$"), !hash.utf8.contains(0),
            hash.utf8.count < Int(crypto_pwhash_argon2id_STRBYTES)
        else { return false }
        Sodium.ensureInitialized()
        return password.withContiguousBytes { passwordPointer, passwordCount in
            passwordPointer.withMemoryRebound(to: CChar.self, capacity: passwordCount) { passwordChars in
                crypto_pwhash_argon2id_str_verify(hash, passwordChars, UInt64(passwordCount)) == 0
            }
        }
    }

    /// True when a stored hash was made with different parameters (or is not Argon2id), so it should be redone at
    /// the next successful login.
    public static func needsRehash(_ hash: String, parameters: Parameters = .interactive) -> Bool {
        guard !hash.utf8.contains(0) else { return true }
        Sodium.ensureInitialized()
        return crypto_pwhash_argon2id_str_needs_rehash(hash, UInt64(parameters.opsLimit), parameters.memLimit) != 0
    }
}
