import CSodium

/// XChaCha20-Poly1305 AEAD (`crypto_aead_xchacha20poly1305_ietf`); the 192-bit nonce makes random nonces safe.
public enum XChaCha20Poly1305 {
    /// Size of the nonce that prefixes every sealed message.
    public static let nonceByteCount = 24
    /// Size of the Poly1305 tag that ends every sealed message.
    public static let tagByteCount = 16

    /// Returns `nonce ‖ ciphertext ‖ tag`; a random nonce is drawn when `nonce` is nil (the normal case).
    ///
    /// Pass an explicit nonce only for test vectors or constructions that guarantee uniqueness per key.
    public static func seal(
        _ plaintext: some Collection<UInt8>,
        using key: SymmetricKey,
        nonce: [UInt8]? = nil,
        authenticating aad: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        let nonceBytes = nonce ?? SecureRandom.bytes(count: nonceByteCount)
        guard nonceBytes.count == nonceByteCount else {
            throw .invalidLength(what: "XChaCha20-Poly1305 nonce", expected: nonceByteCount, actual: nonceBytes.count)
        }
        Sodium.ensureInitialized()
        return plaintext.withContiguousBytes { message, messageCount in
            aad.withContiguousBytes { ad, adCount in
                key.withSecretPointer { k in
                    makeBytes(count: nonceByteCount + messageCount + tagByteCount) { out in
                        out.update(from: nonceBytes, count: nonceByteCount)
                        _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                            out + nonceByteCount, nil, message, UInt64(messageCount), ad, UInt64(adCount), nil, out, k)
                    }
                }
            }
        }
    }

    /// Opens `nonce ‖ ciphertext ‖ tag`; every failure, including truncated input, is `.authenticationFailed`.
    public static func open(
        _ combined: some Collection<UInt8>,
        using key: SymmetricKey,
        authenticating aad: some Collection<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        guard combined.count >= nonceByteCount + tagByteCount else { throw .authenticationFailed }
        Sodium.ensureInitialized()
        var status: Int32 = 0
        var plaintext = combined.withContiguousBytes { input, inputCount in
            aad.withContiguousBytes { ad, adCount in
                key.withSecretPointer { k in
                    makeBytes(count: inputCount - nonceByteCount - tagByteCount) { out in
                        status = crypto_aead_xchacha20poly1305_ietf_decrypt(
                            out, nil, nil, input + nonceByteCount, UInt64(inputCount - nonceByteCount),
                            ad, UInt64(adCount), input, k)
                    }
                }
            }
        }
        guard status == 0 else {
            wipe(&plaintext)
            throw .authenticationFailed
        }
        return plaintext
    }
}
