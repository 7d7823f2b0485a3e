import CustosCore
import CustosCrypto
import CustosStreams

/// Keys from fixed seeds (the ones docs/channels.md §10 uses), and channels built from them.
enum Fixtures {
    static let time: UInt64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z

    static func signingKey(_ byte: UInt8) -> Ed25519.PrivateKey {
        try! Ed25519.PrivateKey(seed: [UInt8](repeating: byte, count: 32))
    }

    static func agreementKey(_ byte: UInt8) -> X25519.PrivateKey {
        try! X25519.PrivateKey(rawRepresentation: [UInt8](repeating: byte, count: 32))
    }

    static let authorSigning = signingKey(0x01)
    static let authorAgreement = agreementKey(0x02)
    static let writerSigning = signingKey(0x03)
    static let writerAgreement = agreementKey(0x04)
    static let readerSigning = signingKey(0x05)
    static let readerAgreement = agreementKey(0x06)
    static let outsiderSigning = signingKey(0x0e)
    static let outsiderAgreement = agreementKey(0x0f)
    static let epochSecret = try! EpochSecret(rawRepresentation: [UInt8](repeating: 0x07, count: 32))
    static let psk = try! PresharedKey(rawRepresentation: [UInt8](repeating: 0x08, count: 32))
    static let otherPSK = try! PresharedKey(rawRepresentation: [UInt8](repeating: 0x18, count: 32))
    static let announceNonce = [UInt8](repeating: 0x09, count: 16)
    static let pskNonce = [UInt8](repeating: 0x0a, count: 24)
    static let packetRandomness = try! SealingRandomness(
        ephemeralKey: agreementKey(0x0b), nonce: [UInt8](repeating: 0x0c, count: 24))

    static var writer: ChannelMember {
        ChannelMember(signingKey: writerSigning.publicKey, keyAgreementKey: writerAgreement.publicKey, rights: .write)
    }

    static var reader: ChannelMember {
        ChannelMember(signingKey: readerSigning.publicKey, keyAgreementKey: readerAgreement.publicKey, rights: .read)
    }

    static func announce(_ type: ChannelType = .private) throws -> (author: ChannelAuthor, announce: Envelope) {
        try ChannelAuthor.create(
            signingKey: authorSigning, keyAgreementKey: authorAgreement, channelType: type, claimedTime: time,
            nonce: announceNonce)
    }

    static func reader(
        for channelID: Digest32, key: X25519.PrivateKey? = nil, psks: [PresharedKey] = []
    ) -> ChannelReader {
        ChannelReader(channelID: channelID, credentials: ReaderCredentials(keyAgreementKey: key, presharedKeys: psks))
    }
}

/// A private channel with one keyload (writer: Write, reader: Read, one PSK) and readers of every kind.
struct PrivateChannel {
    var author: ChannelAuthor
    let announce: Envelope
    let keyload: Envelope
    var writer: ChannelPublisher
    /// The author reading its own channel with its X25519 key.
    var authorReader: ChannelReader
    var writerReader: ChannelReader
    var readerReader: ChannelReader
    var auditor: ChannelReader
    /// No credentials at all.
    var keyless: ChannelReader

    init(members: [ChannelMember] = [Fixtures.writer, Fixtures.reader]) throws {
        let (author, announce) = try Fixtures.announce()
        self.author = author
        self.announce = announce
        keyload = try self.author.keyload(
            members: members, presharedKeys: [Fixtures.psk], claimedTime: Fixtures.time + 1,
            secret: Fixtures.epochSecret, pskNonces: [Fixtures.pskNonce])
        let id = announce.id
        writer = ChannelPublisher(channelID: id, signingKey: Fixtures.writerSigning)
        authorReader = Fixtures.reader(for: id, key: Fixtures.authorAgreement)
        writerReader = Fixtures.reader(for: id, key: Fixtures.writerAgreement)
        readerReader = Fixtures.reader(for: id, key: Fixtures.readerAgreement)
        auditor = Fixtures.reader(for: id, psks: [Fixtures.psk])
        keyless = Fixtures.reader(for: id)
        try deliver(announce)
        try deliver(keyload)
    }

    var channelID: Digest32 { announce.id }

    /// Every reader, by name, for checks that must hold for all of them.
    var readers: [(String, ChannelReader)] {
        [
            ("author", authorReader), ("writer", writerReader), ("reader", readerReader), ("auditor", auditor),
            ("keyless", keyless),
        ]
    }

    /// Feeds an envelope to every reader; returns their events in the order of `readers`.
    @discardableResult
    mutating func deliver(_ envelope: Envelope) throws -> [ChannelEvent] {
        [
            try authorReader.receive(envelope), try writerReader.receive(envelope),
            try readerReader.receive(envelope), try auditor.receive(envelope), try keyless.receive(envelope),
        ]
    }

    /// A signed packet by the Write member in the epoch in force.
    mutating func writerPacket(
        _ text: String, secret: String? = "secret", randomness: SealingRandomness = SealingRandomness()
    ) throws -> Envelope {
        try writer.signedPacket(
            in: author.epoch, publicPayload: Array(text.utf8), privatePayload: secret.map { Array($0.utf8) },
            claimedTime: Fixtures.time + 10, randomness: randomness)
    }
}

extension ChannelEvent.Content {
    /// The private payload of a packet event.
    var privatePayload: PrivatePayload? {
        switch self {
        case .signedPacket(_, _, let payload), .taggedPacket(_, let payload, _): payload
        default: nil
        }
    }

    /// The access of a keyload event.
    var access: EpochAccess? {
        if case .keyload(_, let access) = self { return access }
        return nil
    }
}

/// Runs `body` and returns the StreamsError it threw, or nil.
func streamsError(_ body: () throws -> Void) -> StreamsError? {
    do {
        try body()
        return nil
    } catch let error as StreamsError {
        return error
    } catch {
        return nil
    }
}

/// Resigns a draft as `key`: a publisher that really holds its key and still breaks a rule.
func resign(_ envelope: Envelope, by key: Ed25519.PrivateKey, _ change: (inout EnvelopeDraft) -> Void) throws
    -> Envelope
{
    var draft = EnvelopeDraft(envelope)
    change(&draft)
    return try draft.signed(by: key)
}
