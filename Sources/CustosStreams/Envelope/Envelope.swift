import CustosCore
import CustosCrypto

/// One channel message in its canonical binary form (docs/channels.md §3); later the data of a ledger tagged-data
/// entry, so it is capped at `maximumByteCount`.
///
/// `version u8 | type u8 | channelId [32] | epoch u32 | publisher [32] | seq u64 | prev [32] | link [32] |
/// claimedTime u64 | publicPayloadLength u32 | publicPayload | ephemeralKey [32] | sealedLength u32 | sealed |
/// trailer [64 signature, or 32 MAC for tagged packets]`, integers little-endian.
///
/// A value that exists has passed every check that needs no context: the fields its type requires, its content
/// structure, its size. Signatures, chains and epochs are the business of `ChannelReader`.
public struct Envelope: Sendable, Hashable {
    /// The only version defined so far.
    public static let currentVersion: UInt8 = 1
    /// 32 KiB less 512 bytes: a ledger message of at most 32 KiB must hold the envelope with its 8 parents and the
    /// channel tag (334 bytes of framing), and the rest is headroom for framing that may grow.
    public static let maximumByteCount = 32 * 1024 - 512
    /// Bytes from `version` through `claimedTime`.
    static let fixedHeaderByteCount = 1 + 1 + 32 + 4 + 32 + 8 + 32 + 32 + 8
    /// The ledger tag prefix of docs/channels.md §9; the channel id follows it.
    public static let ledgerTagPrefix = Array("custos-channel:".utf8)

    /// What the envelope is.
    public let type: EnvelopeType
    /// The channel's id: the announce's envelope id; all zero in the announce itself.
    public let channelID: Digest32
    /// The epoch the envelope belongs to: 0 before the first keyload, then the number of the keyload in force.
    public let epoch: UInt32
    /// The publisher's Ed25519 key; all zero in tagged packets, which have no publisher.
    public let publisher: Ed25519.PublicKey
    /// The publisher's sequence number in this channel: 0 for its first envelope, then increasing by one.
    public let sequence: UInt64
    /// The id of the publisher's previous envelope in this channel; all zero for its first.
    public let previous: Digest32
    /// The anchor the envelope depends on (its epoch's keyload, the announce, a subscription).
    public let link: Digest32
    /// The publisher's clock, Unix milliseconds; only the confirming milestone's time is trusted.
    public let claimedTime: UInt64
    /// Bytes in clear: the application's public payload, or the content structure of announces, keyloads and
    /// subscribes.
    public let publicPayload: [UInt8]
    /// The per-message ephemeral X25519 key of the sealed part; nil (encoded as zeros) when there is none.
    public let ephemeralKey: X25519.PublicKey?
    /// `nonce ‖ ciphertext ‖ tag` of the private payload, or empty.
    public let sealed: [UInt8]
    /// The Ed25519 signature, or for tagged packets the MAC, over everything before it.
    public let trailer: [UInt8]
    /// The canonical bytes.
    public let bytes: [UInt8]

    /// Assembles a checked draft and its trailer.
    init(draft: EnvelopeDraft, trailer: [UInt8]) throws(StreamsError) {
        let bytes = draft.body() + trailer
        guard bytes.count <= Self.maximumByteCount else {
            throw .envelopeTooLarge(size: bytes.count, limit: Self.maximumByteCount)
        }
        try draft.checkShape()
        type = draft.type
        channelID = draft.channelID
        epoch = draft.epoch
        publisher = draft.publisher
        sequence = draft.sequence
        previous = draft.previous
        link = draft.link
        claimedTime = draft.claimedTime
        publicPayload = draft.publicPayload
        ephemeralKey = draft.ephemeralKey
        sealed = draft.sealed
        self.trailer = trailer
        self.bytes = bytes
    }

    /// Parses and checks canonical bytes; every length must be consumed exactly.
    public init(bytes: [UInt8]) throws(StreamsError) {
        guard bytes.count <= Self.maximumByteCount else {
            throw .envelopeTooLarge(size: bytes.count, limit: Self.maximumByteCount)
        }
        var reader = ByteReader(bytes)
        let version = try reader.readInteger(UInt8.self, "version")
        guard version == Self.currentVersion else { throw .unsupportedVersion(version) }
        let code = try reader.readInteger(UInt8.self, "type")
        guard let type = EnvelopeType(rawValue: code) else { throw .unknownEnvelopeType(code) }
        var draft = EnvelopeDraft(type: type, channelID: try reader.readDigest("channel id"))
        draft.epoch = try reader.readInteger(UInt32.self, "epoch")
        let publisher = try reader.read(32, "publisher")
        draft.publisher = try! Ed25519.PublicKey(rawRepresentation: publisher)  // exactly 32 bytes were read
        draft.sequence = try reader.readInteger(UInt64.self, "seq")
        draft.previous = try reader.readDigest("prev")
        draft.link = try reader.readDigest("link")
        draft.claimedTime = try reader.readInteger(UInt64.self, "claimed time")
        draft.publicPayload = try reader.readBytes("public payload")
        let ephemeral = try reader.read(32, "ephemeral key")
        if !ephemeral.isAllZero {
            do throws(CryptoError) {
                draft.ephemeralKey = try X25519.PublicKey(rawRepresentation: ephemeral)
            } catch {
                throw .invalidKey(field: "ephemeral key")
            }
        }
        draft.sealed = try reader.readBytes("sealed part")
        let trailer = try reader.read(type.trailerByteCount, type.isSigned ? "signature" : "MAC")
        try reader.finish("envelope")
        try self.init(draft: draft, trailer: trailer)
    }

    /// The envelope id: BLAKE2b-256 of the canonical bytes. The announce's id is the channel id.
    public var id: Digest32 { Self.id(of: bytes) }

    /// The id of canonical bytes.
    public static func id(of bytes: some Collection<UInt8>) -> Digest32 {
        try! Digest32(bytes: BLAKE2b.hash256(bytes))  // BLAKE2b-256 is always 32 bytes
    }

    /// The channel this envelope belongs to: its own id for the announce.
    public var channel: Digest32 { type == .announce ? id : channelID }

    /// Everything before the trailer.
    public var body: [UInt8] { Array(bytes.dropLast(trailer.count)) }

    /// Everything before the sealed part's length: the associated data of the sealed part (docs/channels.md §6).
    public var header: [UInt8] { Array(bytes.prefix(Self.fixedHeaderByteCount + 4 + publicPayload.count + 32)) }

    /// What the publisher signs: `custos/channel/v1/signature` NUL, then the body.
    public var signingInput: [UInt8] { ChannelDomain.signature + body }

    /// Whether the trailer is the publisher's signature over the signing input; false for tagged packets.
    public var hasValidSignature: Bool {
        type.isSigned && publisher.isValidSignature(trailer, for: signingInput)
    }

    /// The ledger tag the envelope is stored under: `custos-channel:` and the 32-byte channel id (47 bytes).
    public var ledgerTag: [UInt8] { Self.ledgerTagPrefix + channel.bytes }

    /// The announce's content; nil for other types.
    public var announceContent: AnnounceContent? {
        type == .announce ? try? AnnounceContent(bytes: publicPayload) : nil
    }

    /// The keyload's content; nil for other types.
    public var keyloadContent: KeyloadContent? {
        type == .keyload ? try? KeyloadContent(bytes: publicPayload) : nil
    }

    /// The subscribe's content; nil for other types.
    public var subscribeContent: SubscribeContent? {
        type == .subscribe ? try? SubscribeContent(bytes: publicPayload) : nil
    }

    /// Equal envelopes have equal bytes.
    public static func == (lhs: Envelope, rhs: Envelope) -> Bool { lhs.bytes == rhs.bytes }

    /// Hashes the bytes, like equality compares them.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
