import CustosCore
import CustosCrypto

/// One publisher's position in a channel: its key, the next sequence number and its previous envelope's id.
///
/// Every envelope a publisher signs in a channel, whatever its type, continues this one chain, so a validator
/// notices any envelope of it that is dropped, reordered or replayed. A builder that throws leaves the position
/// unchanged; store `nextSequence` and `previous` to resume after a restart.
public struct ChannelPublisher: Sendable {
    /// The channel.
    public let channelID: Digest32
    /// The publisher's signing key.
    public let signingKey: Ed25519.PrivateKey
    /// The sequence number of the next envelope.
    public private(set) var nextSequence: UInt64
    /// The id of the last envelope published; zero before the first.
    public private(set) var previous: Digest32

    /// A publisher at the start of its chain, or resuming at a stored position.
    public init(
        channelID: Digest32, signingKey: Ed25519.PrivateKey, nextSequence: UInt64 = 0, previous: Digest32 = .zero
    ) {
        self.channelID = channelID
        self.signingKey = signingKey
        self.nextSequence = nextSequence
        self.previous = previous
    }

    /// The publisher's public key.
    public var publicKey: Ed25519.PublicKey { signingKey.publicKey }

    /// A signed packet in `epoch`: the public payload in clear, the private payload (if any) sealed to the epoch key.
    ///
    /// Refused unless the epoch lets this publisher write, so a client never publishes what validators drop.
    public mutating func signedPacket(
        in epoch: ChannelEpoch, publicPayload: [UInt8], privatePayload: [UInt8]?, claimedTime: UInt64,
        randomness: SealingRandomness = SealingRandomness()
    ) throws(StreamsError) -> Envelope {
        guard epoch.channelID == channelID else {
            throw .wrongChannel(expected: channelID, found: epoch.channelID)
        }
        guard epoch.mayWrite(publicKey) else {
            throw .notAWriter(publisher: publicKey, epoch: epoch.number, rights: epoch.rights(of: publicKey))
        }
        var draft = EnvelopeDraft(type: .signedPacket, channelID: channelID)
        draft.epoch = epoch.number
        draft.link = epoch.anchor
        draft.claimedTime = claimedTime
        draft.publicPayload = publicPayload
        if let privatePayload {
            guard let epochPublicKey = epoch.publicKey else { throw .sealedWithoutEpochKey(epoch: epoch.number) }
            // The chain fields are part of the header the sealed part is bound to, so they are set first.
            fillChain(&draft)
            try PacketCipher.seal(privatePayload, into: &draft, epochPublicKey: epochPublicKey, randomness: randomness)
        }
        return try publish(draft)
    }

    /// A subscribe asking the author for `requestedRights`, naming the key to seal epoch secrets to.
    public mutating func subscribe(
        keyAgreementKey: X25519.PublicKey, requestedRights: AccessRights, claimedTime: UInt64
    ) throws(StreamsError) -> Envelope {
        var draft = EnvelopeDraft(type: .subscribe, channelID: channelID)
        draft.link = channelID
        draft.claimedTime = claimedTime
        draft.publicPayload = SubscribeContent(keyAgreementKey: keyAgreementKey, requestedRights: requestedRights).bytes
        return try publish(draft)
    }

    /// An unsubscribe withdrawing the subscribe with id `subscription`.
    public mutating func unsubscribe(subscription: Digest32, claimedTime: UInt64) throws(StreamsError) -> Envelope {
        var draft = EnvelopeDraft(type: .unsubscribe, channelID: channelID)
        draft.link = subscription
        draft.claimedTime = claimedTime
        return try publish(draft)
    }

    /// Signs a draft as the next envelope of this chain: sets its publisher, sequence number and previous id.
    public mutating func publish(_ draft: EnvelopeDraft) throws(StreamsError) -> Envelope {
        var draft = draft
        let sealedHeader = draft.ephemeralKey.map { _ in draft.header() }
        fillChain(&draft)
        // Moving the chain after sealing would break the sealed part's binding to its header.
        if let sealedHeader, sealedHeader != draft.header() {
            throw .invalidRequest("the draft was sealed before its chain fields were set")
        }
        let envelope = try draft.signed(by: signingKey)
        nextSequence += 1
        previous = envelope.id
        return envelope
    }

    private func fillChain(_ draft: inout EnvelopeDraft) {
        draft.publisher = publicKey
        draft.sequence = nextSequence
        draft.previous = previous
    }
}
