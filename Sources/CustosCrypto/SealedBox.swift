import CSodium

/// Anonymous public-key encryption (`crypto_box_seal`): ephemeral X25519 + XSalsa20-Poly1305.
public enum SealedBox {
    /// Bytes a sealed box adds to the plaintext (ephemeral public key and MAC).
    public static let overhead = crypto_box_sealbytes()

    /// Encrypts `message` so that only the holder of `recipient`'s private key can read it; the sender stays anonymous.
    public static func seal(_ message: some Collection<UInt8>, to recipient: X25519.PublicKey) -> [UInt8] {
        Sodium.ensureInitialized()
        return message.withContiguousBytes { msg, msgCount in
            makeBytes(count: msgCount + overhead) { out in
                let status = crypto_box_seal(out, msg, UInt64(msgCount), recipient.rawRepresentation)
                // Only fails for a low-order recipient key, which `X25519.PublicKey.init` already rejects.
                precondition(status == 0, "crypto_box_seal failed: recipient public key has low order")
            }
        }
    }

    /// Decrypts a sealed box; any malformed, truncated or foreign ciphertext throws `.authenticationFailed`.
    public static func open(
        _ ciphertext: some Collection<UInt8>, with recipient: X25519.PrivateKey
    ) throws(CryptoError) -> [UInt8] {
        guard ciphertext.count >= overhead else { throw .authenticationFailed }
        Sodium.ensureInitialized()
        var status: Int32 = 0
        var plaintext = ciphertext.withContiguousBytes { box, boxCount in
            makeBytes(count: boxCount - overhead) { out in
                status = recipient.withSecretPointer { sk in
                    crypto_box_seal_open(out, box, UInt64(boxCount), recipient.publicKey.rawRepresentation, sk)
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
