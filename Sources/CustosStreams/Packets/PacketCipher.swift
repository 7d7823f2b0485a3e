import CustosCore
import CustosCrypto

/// Seals and opens the private payload of packets (docs/channels.md §6).
///
/// A writer needs only the epoch public key: a fresh ephemeral key `e` gives `ss = X25519(e, EPK)`, and the content
/// key is `BLAKE2b-256(key = ss, "custos/channel/v1/packet-key" NUL ‖ e_pk ‖ EPK ‖ BLAKE2b-256(header))`; the
/// payload is sealed with XChaCha20-Poly1305 under that key with the header as associated data. Readers compute the
/// same `ss = X25519(ESK, e_pk)`. So a `Write` member, who never holds ESK, cannot open what it or others wrote.
public enum PacketCipher {
    /// Seals `privatePayload` into the draft: sets its ephemeral key, then its sealed part over the final header.
    ///
    /// Call it after every other header field is set: the header is bound into the key and the associated data.
    public static func seal(
        _ privatePayload: [UInt8], into draft: inout EnvelopeDraft, epochPublicKey: X25519.PublicKey,
        randomness: SealingRandomness = SealingRandomness()
    ) throws(StreamsError) {
        var sealing = draft
        sealing.ephemeralKey = randomness.ephemeralKey.publicKey
        let header = sealing.header()
        let shared: [UInt8]
        do throws(CryptoError) {
            shared = try randomness.ephemeralKey.sharedSecret(with: epochPublicKey)
        } catch {
            // X25519.PublicKey already refuses low-order points, so this means a broken key of our own.
            throw .invalidKey(field: "epoch public key")
        }
        let key = contentKey(
            sharedSecret: shared, ephemeralKey: randomness.ephemeralKey.publicKey, epochPublicKey: epochPublicKey,
            header: header)
        sealing.sealed = try! XChaCha20Poly1305.seal(  // the nonce length was checked by SealingRandomness
            privatePayload, using: key, nonce: randomness.nonce, authenticating: header)
        draft = sealing
    }

    /// Opens an envelope's sealed part with the epoch secret; nil when it has none.
    public static func open(_ envelope: Envelope, with secret: EpochSecret) throws(StreamsError) -> [UInt8]? {
        guard let ephemeralKey = envelope.ephemeralKey else { return nil }
        let header = envelope.header
        guard let shared = try? secret.privateKey.sharedSecret(with: ephemeralKey) else {
            throw .decryptionFailed(envelope: envelope.id)
        }
        let key = contentKey(
            sharedSecret: shared, ephemeralKey: ephemeralKey, epochPublicKey: secret.publicKey, header: header)
        guard let plaintext = try? XChaCha20Poly1305.open(envelope.sealed, using: key, authenticating: header) else {
            throw .decryptionFailed(envelope: envelope.id)
        }
        return plaintext
    }

    static func contentKey(
        sharedSecret: [UInt8], ephemeralKey: X25519.PublicKey, epochPublicKey: X25519.PublicKey, header: [UInt8]
    ) -> SymmetricKey {
        let message =
            ChannelDomain.packetKey + ephemeralKey.rawRepresentation + epochPublicKey.rawRepresentation
            + BLAKE2b.hash256(header)
        let bytes = try! BLAKE2b.hash(message, key: sharedSecret)  // a 32-byte key and output are in range
        return try! SymmetricKey(rawRepresentation: bytes)
    }
}
