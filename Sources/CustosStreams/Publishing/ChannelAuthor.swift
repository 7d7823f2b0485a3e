import CustosCore
import CustosCrypto

/// The author of a channel: announces it, starts epochs with keyloads, and writes like any other publisher.
///
/// A value type whose builders change it only when they succeed. The author holds the current epoch secret (it made
/// it); it can also read it back from any keyload, which always seals the secret to the author's X25519 key.
public struct ChannelAuthor: Sendable {
    /// The channel type, fixed by the announce.
    public let channelType: ChannelType
    /// The author's X25519 key, announced in the announce.
    public let keyAgreementKey: X25519.PrivateKey
    /// The author's chain position; the announce is its envelope 0.
    public private(set) var publisher: ChannelPublisher
    /// The epoch in force: epoch 0 until the first keyload.
    public private(set) var epoch: ChannelEpoch
    /// The secret of the epoch in force; nil in epoch 0 and on public channels.
    public private(set) var epochSecret: EpochSecret?

    /// The channel id (the announce's id).
    public var channelID: Digest32 { publisher.channelID }

    /// Restores an author from stored state.
    public init(
        channelType: ChannelType, keyAgreementKey: X25519.PrivateKey, publisher: ChannelPublisher, epoch: ChannelEpoch,
        epochSecret: EpochSecret?
    ) {
        self.channelType = channelType
        self.keyAgreementKey = keyAgreementKey
        self.publisher = publisher
        self.epoch = epoch
        self.epochSecret = epochSecret
    }

    /// Creates a channel: the author and its announce, whose id is the channel id.
    ///
    /// A nil `nonce` draws 16 random bytes; a fixed one is for test vectors.
    public static func create(
        signingKey: Ed25519.PrivateKey, keyAgreementKey: X25519.PrivateKey, channelType: ChannelType,
        claimedTime: UInt64, nonce: [UInt8]? = nil
    ) throws(StreamsError) -> (author: ChannelAuthor, announce: Envelope) {
        let content = try AnnounceContent(
            channelType: channelType, authorKeyAgreementKey: keyAgreementKey.publicKey,
            nonce: nonce ?? SecureRandom.bytes(count: AnnounceContent.nonceByteCount))
        var draft = EnvelopeDraft(type: .announce, channelID: .zero)
        draft.publisher = signingKey.publicKey
        draft.claimedTime = claimedTime
        draft.publicPayload = content.bytes
        let announce = try draft.signed(by: signingKey)
        let channelID = announce.id
        let author = ChannelAuthor(
            channelType: channelType, keyAgreementKey: keyAgreementKey,
            publisher: ChannelPublisher(
                channelID: channelID, signingKey: signingKey, nextSequence: 1, previous: channelID),
            epoch: ChannelEpoch(
                channelID: channelID, author: signingKey.publicKey, number: 0, anchor: channelID, publicKey: nil,
                keyCommitment: nil, grants: []),
            epochSecret: nil)
        return (author, announce)
    }

    /// Starts the next epoch: a keyload that seals a new epoch secret to the author and every reading member, wraps
    /// it for every pre-shared key, and lists every member's rights.
    ///
    /// Revoking someone is leaving them out: they cannot read the new epoch, and keep what they could read before.
    /// `secret` and `pskNonces` (one per pre-shared key, in order) are fresh unless given, for test vectors.
    public mutating func keyload(
        members: [ChannelMember], presharedKeys: [PresharedKey] = [], claimedTime: UInt64,
        secret: EpochSecret = EpochSecret(), pskNonces: [[UInt8]]? = nil
    ) throws(StreamsError) -> Envelope {
        guard epoch.number < UInt32.max else { throw .invalidRequest("the channel has used every epoch number") }
        let number = epoch.number + 1
        let author = publisher.publicKey
        guard Set(members.map(\.signingKey)).count == members.count else {
            throw .invalidRequest("a member is listed twice")
        }
        guard !members.contains(where: { $0.signingKey == author }) else {
            throw .invalidRequest("the author is always a member and is not listed")
        }
        if let reader = members.first(where: { $0.rights.canRead && $0.keyAgreementKey == nil }) {
            throw .invalidRequest(
                "member \(Hex.encode(reader.signingKey.rawRepresentation)) reads but has no key agreement key")
        }
        let grants = members.map { AccessGrant(signingKey: $0.signingKey, rights: $0.rights) }
        let content: KeyloadContent
        if channelType.hasEpochKeys {
            var readerKeys = [keyAgreementKey.publicKey]
            for member in members where member.rights.canRead {
                if let key = member.keyAgreementKey, !readerKeys.contains(key) { readerKeys.append(key) }
            }
            let nonces =
                pskNonces ?? presharedKeys.map { _ in SecureRandom.bytes(count: XChaCha20Poly1305.nonceByteCount) }
            guard nonces.count == presharedKeys.count else {
                throw .invalidRequest("give one PSK nonce per pre-shared key")
            }
            var pskSlots: [KeyloadContent.PSKSlot] = []
            for (psk, nonce) in zip(presharedKeys, nonces) {
                pskSlots.append(try secret.pskSlot(for: psk, channelID: channelID, epoch: number, nonce: nonce))
            }
            guard Set(pskSlots.map(\.pskID)).count == pskSlots.count else {
                throw .invalidRequest("a pre-shared key is listed twice")
            }
            content = try KeyloadContent(
                epochPublicKey: secret.publicKey, keyCommitment: secret.commitment(channelID: channelID, epoch: number),
                readerSlots: readerKeys.map { secret.readerSlot(for: $0, channelID: channelID, epoch: number) },
                pskSlots: pskSlots, grants: grants)
        } else {
            guard presharedKeys.isEmpty else {
                throw .invalidRequest("a public channel has no epoch secret to wrap for pre-shared keys")
            }
            content = try KeyloadContent(
                epochPublicKey: nil, keyCommitment: [UInt8](repeating: 0, count: 32), readerSlots: [], pskSlots: [],
                grants: grants)
        }
        var draft = EnvelopeDraft(type: .keyload, channelID: channelID)
        draft.epoch = number
        draft.link = epoch.anchor
        draft.claimedTime = claimedTime
        draft.publicPayload = content.bytes
        var next = publisher
        let keyload = try next.publish(draft)
        publisher = next
        epoch = ChannelEpoch(
            channelID: channelID, author: author, number: number, anchor: keyload.id, publicKey: content.epochPublicKey,
            keyCommitment: content.epochPublicKey == nil ? nil : content.keyCommitment, grants: content.grants)
        epochSecret = channelType.hasEpochKeys ? secret : nil
        return keyload
    }

    /// A signed packet by the author in the epoch in force.
    public mutating func signedPacket(
        publicPayload: [UInt8], privatePayload: [UInt8]?, claimedTime: UInt64,
        randomness: SealingRandomness = SealingRandomness()
    ) throws(StreamsError) -> Envelope {
        try publisher.signedPacket(
            in: epoch, publicPayload: publicPayload, privatePayload: privatePayload, claimedTime: claimedTime,
            randomness: randomness)
    }
}
