import CSodium

/// HMAC-SHA-256 (RFC 2104 / RFC 4231), e.g. for HS256 JWTs and webhook signatures.
public enum HMACSHA256 {
    /// Size of the authentication code.
    public static let byteCount = 32

    /// Computes the MAC; keys of any length are accepted (longer than 64 bytes are hashed first, per RFC 2104).
    ///
    /// Uses libsodium's init/update/final API because the one-shot `crypto_auth_hmacsha256` requires a 32-byte key.
    public static func authenticationCode(for message: some Collection<UInt8>, key: some Collection<UInt8>) -> [UInt8] {
        Sodium.ensureInitialized()
        var state = crypto_auth_hmacsha256_state()
        defer { sodium_memzero(&state, MemoryLayout<crypto_auth_hmacsha256_state>.size) }
        key.withContiguousBytes { keyPointer, keyCount in
            _ = crypto_auth_hmacsha256_init(&state, keyPointer, keyCount)
        }
        message.withContiguousBytes { input, count in
            _ = crypto_auth_hmacsha256_update(&state, input, UInt64(count))
        }
        return makeBytes(count: byteCount) { out in
            _ = crypto_auth_hmacsha256_final(&state, out)
        }
    }

    /// Verifies a MAC in constant time; codes of the wrong length are rejected.
    public static func isValidAuthenticationCode(
        _ code: some Collection<UInt8>, for message: some Collection<UInt8>, key: some Collection<UInt8>
    ) -> Bool {
        constantTimeEquals(authenticationCode(for: message, key: key), code)
    }
}
