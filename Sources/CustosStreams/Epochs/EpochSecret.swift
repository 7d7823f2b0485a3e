import CustosCore
import CustosCrypto

/// An epoch's X25519 key pair: the secret (ESK) that readers receive in a keyload, and its public key (EPK) that
/// writers seal to (docs/channels.md §5).
///
/// The secret is wiped when the last copy goes away; `description` shows only the public key.
public struct EpochSecret: Sendable, CustomStringConvertible {
    /// Size of the secret.
    public static let byteCount = 32
    /// Size of what a reader slot seals: `epochSecret [32] | channelId [32] | epoch u32`.
    public static let readerSlotPlaintextByteCount = 32 + 32 + 4

    /// The X25519 private key; its raw 32 bytes are the epoch secret.
    public let privateKey: X25519.PrivateKey

    /// The epoch public key.
    public var publicKey: X25519.PublicKey { privateKey.publicKey }

    /// A fresh secret from the OS CSPRNG.
    public init() {
        privateKey = X25519.PrivateKey()
    }

    /// Wraps 32 secret bytes (stored secrets, test vectors).
    public init(rawRepresentation: some Collection<UInt8>) throws(StreamsError) {
        do throws(CryptoError) {
            privateKey = try X25519.PrivateKey(rawRepresentation: rawRepresentation)
        } catch {
            throw .invalidRequest("an epoch secret must be \(Self.byteCount) bytes")
        }
    }

    /// The 32 secret bytes; the caller owns this copy and must treat it as secret.
    public var rawRepresentation: [UInt8] { privateKey.rawRepresentation }

    /// `BLAKE2b-256(key = ESK, "custos/channel/v1/commitment" NUL ‖ channelId ‖ epoch u32 ‖ EPK)`.
    ///
    /// X25519 ignores some bits of the secret, so different secrets can share one EPK; the commitment binds the exact
    /// 32 bytes, which also key the epoch's tag key, so every reader provably holds the same secret.
    public func commitment(channelID: Digest32, epoch: UInt32) -> [UInt8] {
        var message = ChannelDomain.commitment + channelID.bytes
        message.appendLittleEndian(epoch)
        message.append(contentsOf: publicKey.rawRepresentation)
        return try! BLAKE2b.hash(message, key: rawRepresentation)  // 32-byte key and output are in range
    }

    /// The epoch's tag key, which authenticates tagged packets.
    public func tagKey(channelID: Digest32, epoch: UInt32) -> TagKey {
        TagKey(epochSecret: self, channelID: channelID, epoch: epoch)
    }

    /// A reader slot: `crypto_box_seal(ESK ‖ channelId ‖ epoch u32, reader)`, 116 bytes.
    public func readerSlot(for reader: X25519.PublicKey, channelID: Digest32, epoch: UInt32) -> [UInt8] {
        SealedBox.seal(Self.slotPlaintext(rawRepresentation, channelID: channelID, epoch: epoch), to: reader)
    }

    /// Opens a reader slot with the reader's key: nil when the slot is someone else's; an error when it is this
    /// reader's but bound to another channel or epoch.
    public static func open(
        readerSlot: [UInt8], with key: X25519.PrivateKey, channelID: Digest32, epoch: UInt32
    ) throws(StreamsError) -> EpochSecret? {
        guard var plaintext = try? SealedBox.open(readerSlot, with: key) else { return nil }
        defer { plaintext.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        let secret = Array(plaintext.prefix(byteCount))
        guard plaintext.count == readerSlotPlaintextByteCount,
            constantTimeEquals(plaintext, slotPlaintext(secret, channelID: channelID, epoch: epoch))
        else { throw .epochKeyBindingMismatch(epoch: epoch) }
        return try EpochSecret(rawRepresentation: secret)
    }

    /// A PSK slot: the secret wrapped with XChaCha20-Poly1305 under `PresharedKey.wrapKey`, with
    /// `channelId ‖ epoch u32 ‖ pskId ‖ EPK` as associated data.
    public func pskSlot(
        for psk: PresharedKey, channelID: Digest32, epoch: UInt32, nonce: [UInt8]? = nil
    ) throws(StreamsError) -> KeyloadContent.PSKSlot {
        let id = psk.id(in: channelID)
        let wrap: [UInt8]
        do throws(CryptoError) {
            wrap = try XChaCha20Poly1305.seal(
                rawRepresentation, using: psk.wrapKey(channelID: channelID, epoch: epoch), nonce: nonce,
                authenticating: Self.pskAssociatedData(
                    channelID: channelID, epoch: epoch, pskID: id, epochPublicKey: publicKey))
        } catch {
            throw .invalidRequest("the PSK wrap nonce must be \(XChaCha20Poly1305.nonceByteCount) bytes")
        }
        return try KeyloadContent.PSKSlot(pskID: id, wrap: wrap)
    }

    /// Unwraps a PSK slot; the slot's id must be the key's id in this channel.
    public static func open(
        pskSlot: KeyloadContent.PSKSlot, with psk: PresharedKey, channelID: Digest32, epoch: UInt32,
        epochPublicKey: X25519.PublicKey
    ) throws(StreamsError) -> EpochSecret {
        let aad = pskAssociatedData(
            channelID: channelID, epoch: epoch, pskID: pskSlot.pskID, epochPublicKey: epochPublicKey)
        guard pskSlot.pskID == psk.id(in: channelID),
            var secret = try? XChaCha20Poly1305.open(
                pskSlot.wrap, using: psk.wrapKey(channelID: channelID, epoch: epoch), authenticating: aad)
        else { throw .pskUnwrapFailed(epoch: epoch, pskID: pskSlot.pskID) }
        defer { secret.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        return try EpochSecret(rawRepresentation: secret)
    }

    static func slotPlaintext(_ secret: [UInt8], channelID: Digest32, epoch: UInt32) -> [UInt8] {
        var plaintext = secret + channelID.bytes
        plaintext.appendLittleEndian(epoch)
        return plaintext
    }

    static func pskAssociatedData(
        channelID: Digest32, epoch: UInt32, pskID: [UInt8], epochPublicKey: X25519.PublicKey
    ) -> [UInt8] {
        var aad = channelID.bytes
        aad.appendLittleEndian(epoch)
        aad.append(contentsOf: pskID)
        aad.append(contentsOf: epochPublicKey.rawRepresentation)
        return aad
    }

    /// Shows only the public key, so epochs can be logged.
    public var description: String {
        "EpochSecret(public: \(Hex.encode(publicKey.rawRepresentation)))"
    }
}
