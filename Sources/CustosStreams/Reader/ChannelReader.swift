import CustosCore
import CustosCrypto

/// Reads and validates one channel, envelope by envelope, in ledger order (docs/channels.md §8).
///
/// A value type without I/O. `receive` checks an envelope against everything read before — its channel, epoch and
/// link, its signature or MAC, the publisher's rights in the epoch's signed access list, the publisher's sequence
/// and previous-envelope chain — and opens what the reader's credentials allow.
///
/// Whether an envelope is accepted depends only on public bytes, so a keyless auditor, a writer and a reader agree
/// on the same history; what only a key holder can see (a refused epoch secret, a sealed part that does not open) is
/// reported in the event instead. The ledger is open to anyone, so a rejected envelope changes nothing: the caller
/// logs the error and goes on with the next one.
public struct ChannelReader: Sendable {
    /// Where a publisher's chain stands.
    public struct ChainPosition: Sendable, Hashable {
        /// The sequence number its next envelope must have.
        public let nextSequence: UInt64
        /// The id its next envelope must name as `prev`; zero before its first.
        public let previous: Digest32
    }

    struct EpochRecord: Sendable {
        let epoch: ChannelEpoch
        let access: EpochAccess
        let secret: EpochSecret?
    }

    /// The channel, as the caller trusts it (from the channel address).
    public let channelID: Digest32
    /// The reader's secrets.
    public let credentials: ReaderCredentials
    /// The announce's content, once read.
    public private(set) var announce: AnnounceContent?
    /// The author, once the announce is read.
    public private(set) var author: Ed25519.PublicKey?
    /// Active subscriptions by subscriber.
    public internal(set) var subscriptions: [Ed25519.PublicKey: Subscription] = [:]
    /// How many envelopes were accepted.
    public private(set) var acceptedCount = 0
    var epochs: [EpochRecord] = []
    var chains: [Ed25519.PublicKey: ChainPosition] = [:]
    /// Tagged packets belong to no chain, so their replays are caught by id.
    var taggedIDs: Set<Digest32> = []

    /// A reader of the channel with id `channelID`.
    public init(channelID: Digest32, credentials: ReaderCredentials = ReaderCredentials()) {
        self.channelID = channelID
        self.credentials = credentials
    }

    /// A reader of the channel an address names.
    public init(address: ChannelAddress, credentials: ReaderCredentials = ReaderCredentials()) {
        self.init(channelID: address.channelID, credentials: credentials)
    }

    /// The channel type, once the announce is read.
    public var channelType: ChannelType? { announce?.channelType }

    /// The epoch in force; nil before the announce.
    public var currentEpoch: ChannelEpoch? { epochs.last?.epoch }

    /// The facts of epoch `number`, if it started.
    public func epoch(_ number: UInt32) -> ChannelEpoch? {
        epochs.indices.contains(Int(number)) ? epochs[Int(number)].epoch : nil
    }

    /// What this reader can do with epoch `number`'s sealed parts, if it started.
    public func access(to number: UInt32) -> EpochAccess? {
        epochs.indices.contains(Int(number)) ? epochs[Int(number)].access : nil
    }

    /// The secret of epoch `number`, when this reader holds it (for custody, or to open stored packets later).
    public func epochSecret(_ number: UInt32) -> EpochSecret? {
        epochs.indices.contains(Int(number)) ? epochs[Int(number)].secret : nil
    }

    /// Where `publisher`'s chain stands: sequence 0 and no previous envelope if it has published nothing.
    public func chainPosition(of publisher: Ed25519.PublicKey) -> ChainPosition {
        chains[publisher] ?? ChainPosition(nextSequence: 0, previous: .zero)
    }

    /// A publisher for `signingKey` that continues its chain from what this reader has read.
    public func publisher(signingKey: Ed25519.PrivateKey) -> ChannelPublisher {
        let position = chainPosition(of: signingKey.publicKey)
        return ChannelPublisher(
            channelID: channelID, signingKey: signingKey, nextSequence: position.nextSequence,
            previous: position.previous)
    }

    /// Decodes and reads the next envelope; see `receive(_:)` for envelopes.
    public mutating func receive(bytes: [UInt8]) throws(StreamsError) -> ChannelEvent {
        try receive(try Envelope(bytes: bytes))
    }

    /// Checks the next envelope and, if it is accepted, records it; a rejected envelope leaves the reader unchanged.
    public mutating func receive(_ envelope: Envelope) throws(StreamsError) -> ChannelEvent {
        // Every handler runs all of its checks before it changes anything, which is what makes rejection side-effect
        // free without copying the reader's tables.
        guard let author, let current = epochs.last?.epoch else { return try readAnnounce(envelope) }
        if envelope.type == .announce {
            throw envelope.id == channelID ? .duplicateAnnounce : .wrongChannel(expected: channelID, found: envelope.id)
        }
        guard envelope.channelID == channelID else {
            throw .wrongChannel(expected: channelID, found: envelope.channelID)
        }
        let event: ChannelEvent
        switch envelope.type {
        case .announce: preconditionFailure("handled above")
        case .keyload: event = try readKeyload(envelope, author: author, current: current)
        case .signedPacket: event = try readSignedPacket(envelope, current: current)
        case .taggedPacket: event = try readTaggedPacket(envelope, current: current)
        case .subscribe: event = try readSubscribe(envelope, author: author)
        case .unsubscribe: event = try readUnsubscribe(envelope)
        }
        acceptedCount += 1
        return event
    }

    private mutating func readAnnounce(_ envelope: Envelope) throws(StreamsError) -> ChannelEvent {
        guard envelope.type == .announce else { throw .announceExpected(found: envelope.type) }
        let id = envelope.id
        guard id == channelID else { throw .channelIDMismatch(expected: channelID, found: id) }
        guard envelope.hasValidSignature else { throw .badSignature(publisher: envelope.publisher) }
        guard let content = envelope.announceContent else {
            throw .malformed(field: "public payload", reason: "is not an announce content")
        }
        announce = content
        author = envelope.publisher
        epochs = [
            EpochRecord(
                epoch: ChannelEpoch(
                    channelID: channelID, author: envelope.publisher, number: 0, anchor: id, publicKey: nil,
                    keyCommitment: nil, grants: []),
                access: .clear, secret: nil)
        ]
        chains[envelope.publisher] = ChainPosition(nextSequence: 1, previous: id)
        acceptedCount += 1
        return ChannelEvent(envelope: envelope, content: .announce(content))
    }

    /// The signature check of every signed envelope.
    func checkSignature(_ envelope: Envelope) throws(StreamsError) {
        guard envelope.hasValidSignature else { throw .badSignature(publisher: envelope.publisher) }
    }

    /// The envelope is next in its publisher's chain: the expected sequence number and the previous envelope's id.
    func checkChain(_ envelope: Envelope) throws(StreamsError) {
        let position = chainPosition(of: envelope.publisher)
        if envelope.sequence < position.nextSequence {
            throw .sequenceReused(
                publisher: envelope.publisher, expected: position.nextSequence, found: envelope.sequence)
        }
        if envelope.sequence > position.nextSequence {
            throw .sequenceGap(publisher: envelope.publisher, expected: position.nextSequence, found: envelope.sequence)
        }
        guard envelope.previous == position.previous else {
            throw .previousMismatch(
                publisher: envelope.publisher, expected: position.previous, found: envelope.previous)
        }
    }

    /// Records a signed envelope as its publisher's latest.
    mutating func advanceChain(_ envelope: Envelope) {
        chains[envelope.publisher] = ChainPosition(nextSequence: envelope.sequence + 1, previous: envelope.id)
    }

    /// The epoch and link every packet must have: the epoch in force and its anchor.
    func checkInCurrentEpoch(_ envelope: Envelope, current: ChannelEpoch) throws(StreamsError) {
        guard envelope.epoch == current.number else {
            throw .wrongEpoch(expected: current.number, found: envelope.epoch)
        }
        guard envelope.link == current.anchor else { throw .wrongLink(expected: current.anchor, found: envelope.link) }
    }
}
