import CustosCore
import CustosCrypto

/// An envelope before its trailer: every field a publisher chooses, then `signed(by:)` or `tagged(with:)`.
///
/// Builders in this module fill drafts for their callers; a draft is public so that independent implementations and
/// tests can make any envelope, including ones a reader must refuse.
public struct EnvelopeDraft: Sendable, Hashable {
    /// What the envelope is.
    public var type: EnvelopeType
    /// The channel id; all zero for an announce.
    public var channelID: Digest32
    /// The epoch number.
    public var epoch: UInt32 = 0
    /// The publisher's key; all zero for tagged packets.
    public var publisher: Ed25519.PublicKey = Self.zeroPublisher
    /// The publisher's sequence number.
    public var sequence: UInt64 = 0
    /// The id of the publisher's previous envelope, zero for its first.
    public var previous: Digest32 = .zero
    /// The anchor.
    public var link: Digest32 = .zero
    /// The publisher's clock, Unix milliseconds.
    public var claimedTime: UInt64 = 0
    /// The bytes in clear.
    public var publicPayload: [UInt8] = []
    /// The sealed part's ephemeral key; nil when there is no sealed part.
    public var ephemeralKey: X25519.PublicKey?
    /// `nonce ‖ ciphertext ‖ tag`, or empty.
    public var sealed: [UInt8] = []

    /// The all-zero publisher of tagged packets.
    public static let zeroPublisher = try! Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32))

    /// Starts a draft of `type` for `channelID`; every other field is zero or empty.
    public init(type: EnvelopeType, channelID: Digest32) {
        self.type = type
        self.channelID = channelID
    }

    /// The fields of an existing envelope, without its trailer: to re-sign or alter it (tools and tests).
    public init(_ envelope: Envelope) {
        type = envelope.type
        channelID = envelope.channelID
        epoch = envelope.epoch
        publisher = envelope.publisher
        sequence = envelope.sequence
        previous = envelope.previous
        link = envelope.link
        claimedTime = envelope.claimedTime
        publicPayload = envelope.publicPayload
        ephemeralKey = envelope.ephemeralKey
        sealed = envelope.sealed
    }

    /// The fields from `version` through `ephemeralKey`: the associated data of the sealed part.
    public func header() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Envelope.fixedHeaderByteCount + 4 + publicPayload.count + 32)
        bytes.append(Envelope.currentVersion)
        bytes.append(type.rawValue)
        bytes.append(contentsOf: channelID.bytes)
        bytes.appendLittleEndian(epoch)
        bytes.append(contentsOf: publisher.rawRepresentation)
        bytes.appendLittleEndian(sequence)
        bytes.append(contentsOf: previous.bytes)
        bytes.append(contentsOf: link.bytes)
        bytes.appendLittleEndian(claimedTime)
        bytes.appendLengthPrefixed(publicPayload)
        bytes.append(contentsOf: ephemeralKey?.rawRepresentation ?? [UInt8](repeating: 0, count: 32))
        return bytes
    }

    /// Everything the trailer covers: the header, then the sealed part with its length.
    public func body() -> [UInt8] {
        var bytes = header()
        bytes.appendLengthPrefixed(sealed)
        return bytes
    }

    /// Signs the draft; the key must be the draft's publisher, and the type one that is signed.
    public func signed(by key: Ed25519.PrivateKey) throws(StreamsError) -> Envelope {
        guard type.isSigned else { throw .invalidRequest("a tagged packet carries a MAC, not a signature") }
        guard key.publicKey == publisher else {
            throw .invalidRequest("the signing key is not the draft's publisher")
        }
        return try Envelope(draft: self, trailer: key.signature(for: ChannelDomain.signature + body()))
    }

    /// Authenticates a tagged packet with its epoch's tag key.
    public func tagged(with key: TagKey) throws(StreamsError) -> Envelope {
        guard type == .taggedPacket else { throw .invalidRequest("only tagged packets carry a MAC") }
        return try Envelope(draft: self, trailer: key.mac(body: body()))
    }

    /// The rules of docs/channels.md §3.2 that need no context: what each type requires of its fields.
    func checkShape() throws(StreamsError) {
        if type == .announce {
            try require(channelID == .zero, "channel id", "must be zero in an announce (the announce's id is it)")
        } else {
            try require(channelID != .zero, "channel id", "must not be zero")
        }
        try require(
            (ephemeralKey == nil) == sealed.isEmpty, "ephemeral key", "must be present exactly with a sealed part")
        let minimumSealed = XChaCha20Poly1305.nonceByteCount + XChaCha20Poly1305.tagByteCount
        try require(
            sealed.isEmpty || sealed.count >= minimumSealed, "sealed part",
            "must be empty or at least \(minimumSealed) bytes")
        switch type {
        case .announce:
            try require(epoch == 0, "epoch", "must be 0 in an announce")
            try requirePublisher()
            try require(sequence == 0, "seq", "must be 0 in an announce (the author's first envelope)")
            try require(previous == .zero, "prev", "must be zero in an announce")
            try require(link == .zero, "link", "must be zero in an announce")
            try requireNoSealedPart()
            _ = try AnnounceContent(bytes: publicPayload)
        case .keyload:
            try require(epoch >= 1, "epoch", "must be at least 1 in a keyload")
            try requirePublisher()
            try requireNoSealedPart()
            _ = try KeyloadContent(bytes: publicPayload)
        case .signedPacket:
            try requirePublisher()
        case .taggedPacket:
            try require(epoch >= 1, "epoch", "must be at least 1 in a tagged packet (epoch 0 has no epoch key)")
            try require(publisher == Self.zeroPublisher, "publisher", "must be zero in a tagged packet")
            try require(sequence == 0, "seq", "must be 0 in a tagged packet")
            try require(previous == .zero, "prev", "must be zero in a tagged packet")
        case .subscribe:
            try require(epoch == 0, "epoch", "must be 0 in a subscribe")
            try requirePublisher()
            try require(link == channelID, "link", "must be the channel id in a subscribe")
            try requireNoSealedPart()
            _ = try SubscribeContent(bytes: publicPayload)
        case .unsubscribe:
            try require(epoch == 0, "epoch", "must be 0 in an unsubscribe")
            try requirePublisher()
            try require(link != .zero, "link", "must be the subscribe it withdraws")
            try require(publicPayload.isEmpty, "public payload", "must be empty in an unsubscribe")
            try requireNoSealedPart()
        }
    }

    private func requirePublisher() throws(StreamsError) {
        try require(publisher != Self.zeroPublisher, "publisher", "must not be zero in a \(type)")
    }

    private func requireNoSealedPart() throws(StreamsError) {
        try require(sealed.isEmpty, "sealed part", "must be empty in a \(type)")
    }

    private func require(_ condition: Bool, _ field: String, _ reason: String) throws(StreamsError) {
        guard condition else { throw .malformed(field: field, reason: reason) }
    }
}
