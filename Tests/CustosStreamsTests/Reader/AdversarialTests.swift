import CustosCore
import CustosCrypto
import CustosStreams
import Testing

/// Attacks on a channel, each of which must be refused (or, where only a key holder can tell, reported) by name.
///
/// A rejected envelope must leave a reader unchanged, so every test also checks that the honest envelope after the
/// attack is still accepted.
@Suite("Adversarial channel input")
struct AdversarialTests {
    /// Every reader refuses `envelope` with `expected`, and none of them changes.
    func expectRejected(
        _ envelope: Envelope, by channel: inout PrivateChannel, _ expected: StreamsError,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for index in channel.readers.indices {
            var reader = channel.readers[index].1
            let count = reader.acceptedCount
            let writer = reader.chainPosition(of: Fixtures.writerSigning.publicKey)
            let error = streamsError { _ = try reader.receive(envelope) }
            #expect(error == expected, "\(channel.readers[index].0)", sourceLocation: sourceLocation)
            #expect(reader.acceptedCount == count, sourceLocation: sourceLocation)
            #expect(
                reader.chainPosition(of: Fixtures.writerSigning.publicKey) == writer, sourceLocation: sourceLocation)
        }
    }

    @Test("a packet signed by someone else than the writer it names is refused")
    func forgedWriterSignature() throws {
        var channel = try PrivateChannel()
        let honest = try channel.writerPacket("honest")
        let forged = try Envelope(bytes: honest.body + Fixtures.outsiderSigning.signature(for: honest.signingInput))
        expectRejected(forged, by: &channel, .badSignature(publisher: Fixtures.writerSigning.publicKey))
        var flipped = honest.bytes
        flipped[flipped.count - 1] ^= 0x01
        expectRejected(
            try Envelope(bytes: flipped), by: &channel, .badSignature(publisher: Fixtures.writerSigning.publicKey))
        // Without the domain prefix, the writer's own signature over the same bytes is no signature either.
        let unprefixed = try Envelope(bytes: honest.body + Fixtures.writerSigning.signature(for: honest.body))
        expectRejected(unprefixed, by: &channel, .badSignature(publisher: Fixtures.writerSigning.publicKey))
        try channel.deliver(honest)
    }

    @Test("publishers that the signed access list does not let write are refused, whatever they hold")
    func writerNotInList() throws {
        var channel = try PrivateChannel(members: [Fixtures.writer, Fixtures.reader])
        let epoch = channel.author.epoch
        var outsider = ChannelPublisher(channelID: channel.channelID, signingKey: Fixtures.outsiderSigning)
        // Builders refuse too, so an honest client never publishes what validators drop.
        #expect(
            streamsError {
                _ = try outsider.signedPacket(in: epoch, publicPayload: [], privatePayload: nil, claimedTime: 0)
            }
                == .notAWriter(publisher: Fixtures.outsiderSigning.publicKey, epoch: 1, rights: nil))
        var draft = EnvelopeDraft(type: .signedPacket, channelID: channel.channelID)
        draft.epoch = 1
        draft.link = epoch.anchor
        let fromOutsider = try outsider.publish(draft)
        expectRejected(
            fromOutsider, by: &channel,
            .notAWriter(publisher: Fixtures.outsiderSigning.publicKey, epoch: 1, rights: nil))
        var reader = ChannelPublisher(channelID: channel.channelID, signingKey: Fixtures.readerSigning)
        let fromReader = try reader.publish(draft)
        expectRejected(
            fromReader, by: &channel, .notAWriter(publisher: Fixtures.readerSigning.publicKey, epoch: 1, rights: .read))
        // A keyload by anyone but the author is refused before its content is even looked at.
        var keyloadDraft = EnvelopeDraft(channel.keyload)
        keyloadDraft.epoch = 2
        keyloadDraft.link = channel.keyload.id
        let fakeKeyload = try outsider.publish(keyloadDraft)
        expectRejected(
            fakeKeyload, by: &channel, .notTheAuthor(type: .keyload, publisher: Fixtures.outsiderSigning.publicKey))
        try channel.deliver(try channel.writerPacket("still fine"))
    }

    @Test("a replayed envelope is refused: packets by their chain, tagged packets by id, keyloads by epoch")
    func replay() throws {
        var channel = try PrivateChannel()
        let packet = try channel.writerPacket("once")
        try channel.deliver(packet)
        let writer = Fixtures.writerSigning.publicKey
        expectRejected(packet, by: &channel, .sequenceReused(publisher: writer, expected: 1, found: 0))
        expectRejected(channel.keyload, by: &channel, .wrongEpoch(expected: 2, found: 1))
        expectRejected(channel.announce, by: &channel, .duplicateAnnounce)
        let secret = try #require(channel.readerReader.epochSecret(1))
        let tagged = try TaggedPacket.make(
            in: channel.author.epoch, secret: secret, publicPayload: [], privatePayload: nil, claimedTime: 0)
        try channel.deliver(tagged)
        expectRejected(tagged, by: &channel, .replayed(tagged.id))
        // Into another channel of the same author: the channel id does not match.
        let (_, otherAnnounce) = try ChannelAuthor.create(
            signingKey: Fixtures.authorSigning, keyAgreementKey: Fixtures.authorAgreement, channelType: .private,
            claimedTime: Fixtures.time, nonce: [UInt8](repeating: 0x99, count: 16))
        var other = Fixtures.reader(for: otherAnnounce.id)
        _ = try other.receive(otherAnnounce)
        #expect(
            streamsError { _ = try other.receive(packet) }
                == .wrongChannel(expected: otherAnnounce.id, found: channel.channelID))
        #expect(
            streamsError { _ = try other.receive(channel.announce) }
                == .wrongChannel(expected: otherAnnounce.id, found: channel.channelID))
    }

    @Test("a packet for another epoch than the one in force, or linked to another anchor, is refused")
    func wrongEpoch() throws {
        var channel = try PrivateChannel()
        let oldEpoch = channel.author.epoch
        let keyload2 = try channel.author.keyload(
            members: [Fixtures.writer, Fixtures.reader], claimedTime: Fixtures.time + 5)
        try channel.deliver(keyload2)
        let stale = try channel.writer.signedPacket(
            in: oldEpoch, publicPayload: [], privatePayload: [1], claimedTime: 0)
        expectRejected(stale, by: &channel, .wrongEpoch(expected: 2, found: 1))
        let wrongLink = try resign(stale, by: Fixtures.writerSigning) { $0.epoch = 2 }
        expectRejected(wrongLink, by: &channel, .wrongLink(expected: keyload2.id, found: channel.keyload.id))
        // A keyload that skips an epoch, or links to an older one.
        var author = channel.author.publisher
        var skip = EnvelopeDraft(keyload2)
        skip.epoch = 4
        skip.link = keyload2.id
        expectRejected(try author.publish(skip), by: &channel, .wrongEpoch(expected: 3, found: 4))
        skip.epoch = 3
        skip.link = channel.keyload.id
        expectRejected(
            try author.publish(skip), by: &channel, .wrongLink(expected: keyload2.id, found: channel.keyload.id))
        var writer = ChannelPublisher(
            channelID: channel.channelID, signingKey: Fixtures.writerSigning, nextSequence: 0, previous: .zero)
        try channel.deliver(
            try writer.signedPacket(in: channel.author.epoch, publicPayload: [], privatePayload: [2], claimedTime: 0))
    }

    @Test("a dropped, reordered or forked packet breaks its publisher's chain")
    func chainBreaks() throws {
        var channel = try PrivateChannel()
        let first = try channel.writerPacket("1")
        let second = try channel.writerPacket("2")
        let third = try channel.writerPacket("3")
        let writer = Fixtures.writerSigning.publicKey
        expectRejected(second, by: &channel, .sequenceGap(publisher: writer, expected: 0, found: 1))
        try channel.deliver(first)
        expectRejected(third, by: &channel, .sequenceGap(publisher: writer, expected: 1, found: 2))
        // Right sequence number, another history: a fork the writer signed itself.
        let fork = try resign(second, by: Fixtures.writerSigning) { $0.previous = third.id }
        expectRejected(fork, by: &channel, .previousMismatch(publisher: writer, expected: first.id, found: third.id))
        try channel.deliver(second)
        try channel.deliver(third)
        // The author's keyloads are in its chain too: a keyload cannot be dropped without the author's next envelope
        // showing it.
        _ = try channel.author.keyload(members: [Fixtures.writer], claimedTime: 0)
        let afterDropped = try channel.author.signedPacket(publicPayload: [], privatePayload: nil, claimedTime: 0)
        expectRejected(afterDropped, by: &channel, .wrongEpoch(expected: 1, found: 2))
    }

    @Test("tampered ciphertext: refused unsigned; re-signed by the writer, readers report it and validators agree")
    func tamperedCiphertext() throws {
        var channel = try PrivateChannel()
        let packet = try channel.writerPacket("public", secret: "secret")
        let sealedStart = packet.header.count + 4
        var bytes = packet.bytes
        bytes[sealedStart + 30] ^= 0x01
        expectRejected(
            try Envelope(bytes: bytes), by: &channel, .badSignature(publisher: Fixtures.writerSigning.publicKey))
        let resigned = try resign(packet, by: Fixtures.writerSigning) { $0.sealed[30] ^= 0x01 }
        let payloads = try channel.deliver(resigned).map(\.content.privatePayload)
        let failed = PrivatePayload.undecryptable(.decryptionFailed(envelope: resigned.id))
        #expect(payloads == [failed, .sealed, failed, failed, .sealed])
    }

    @Test("a changed header field breaks the signature, and re-signed it no longer opens the sealed part (AAD)")
    func tamperedHeader() throws {
        var channel = try PrivateChannel()
        let packet = try channel.writerPacket("public", secret: "secret")
        var bytes = packet.bytes
        bytes[142] ^= 0x01  // claimedTime
        expectRejected(
            try Envelope(bytes: bytes), by: &channel, .badSignature(publisher: Fixtures.writerSigning.publicKey))
        let moved = try resign(packet, by: Fixtures.writerSigning) { $0.claimedTime += 1 }
        let failed = PrivatePayload.undecryptable(.decryptionFailed(envelope: moved.id))
        #expect(try channel.deliver(moved).map(\.content.privatePayload) == [failed, .sealed, failed, failed, .sealed])
        // The same holds for the sealed part alone: the cipher binds the whole header, not only the signature does.
        #expect(throws: StreamsError.decryptionFailed(envelope: moved.id)) {
            _ = try PacketCipher.open(moved, with: Fixtures.epochSecret)
        }
        #expect(try PacketCipher.open(packet, with: Fixtures.epochSecret) == Array("secret".utf8))
    }

    @Test("a changed public payload breaks the signature, and re-signed it no longer opens the sealed part")
    func tamperedPublicPayload() throws {
        var channel = try PrivateChannel()
        let packet = try channel.writerPacket("pay 10 EUR", secret: "invoice")
        var bytes = packet.bytes
        bytes[154 + 4] = UInt8(ascii: "9")
        expectRejected(
            try Envelope(bytes: bytes), by: &channel, .badSignature(publisher: Fixtures.writerSigning.publicKey))
        let changed = try resign(packet, by: Fixtures.writerSigning) { $0.publicPayload = Array("pay 90 EUR".utf8) }
        let failed = PrivatePayload.undecryptable(.decryptionFailed(envelope: changed.id))
        #expect(
            try channel.deliver(changed).map(\.content.privatePayload) == [failed, .sealed, failed, failed, .sealed])
    }

    @Test("a Write-only member writes what readers read, and cannot decrypt it: it never holds the epoch secret")
    func writeOnlyCannotDecrypt() throws {
        var channel = try PrivateChannel()
        #expect(channel.writerReader.access(to: 1) == .noAccess)
        #expect(channel.writerReader.epochSecret(1) == nil)
        for slot in channel.keyload.keyloadContent!.readerSlots {
            #expect(throws: (any Error).self) { _ = try SealedBox.open(slot, with: Fixtures.writerAgreement) }
        }
        let own = try channel.writerPacket("mine", secret: "not mine to read")
        let events = try channel.deliver(own)
        #expect(events[1].content.privatePayload == .sealed)
        #expect(events[2].content.privatePayload == .plaintext(Array("not mine to read".utf8)))
        #expect(channel.writerReader.currentEpoch?.publicKey == channel.author.epoch.publicKey)
    }

    @Test("a revoked reader cannot read the next epoch, and still reads the old one")
    func revokedReader() throws {
        var channel = try PrivateChannel()
        var history = [channel.announce, channel.keyload]
        let before = try channel.writerPacket("before", secret: "old secret")
        try channel.deliver(before)
        history.append(before)
        let revoke = try channel.author.keyload(members: [Fixtures.writer], claimedTime: Fixtures.time + 2)
        let events = try channel.deliver(revoke)
        #expect(events.map(\.content.access) == [.readable, .noAccess, .noAccess, .noAccess, .noAccess])
        history.append(revoke)
        let after = try channel.writerPacket("after", secret: "new secret")
        #expect(try channel.deliver(after).map(\.content.privatePayload)[2] == .sealed)
        history.append(after)
        #expect(channel.readerReader.epochSecret(1) != nil)
        // Replaying the ledger later with the same key: epoch 1 opens, epoch 2 does not.
        var replay = Fixtures.reader(for: channel.channelID, key: Fixtures.readerAgreement)
        let payloads = try history.map { try replay.receive($0).content.privatePayload }
        #expect(payloads[2] == .plaintext(Array("old secret".utf8)))
        #expect(payloads[4] == .sealed)
        #expect(replay.access(to: 2) == .noAccess)
        // The PSK was not wrapped again either: leaving a key out of a keyload revokes it.
        #expect(channel.auditor.access(to: 2) == .noAccess)
    }

    @Test("a wrong pre-shared key finds no slot, and a slot that does not open with its key is refused")
    func wrongPSK() throws {
        var channel = try PrivateChannel()
        var wrong = Fixtures.reader(for: channel.channelID, psks: [Fixtures.otherPSK])
        _ = try wrong.receive(channel.announce)
        #expect(try wrong.receive(channel.keyload).content.access == .noAccess)
        #expect(Fixtures.psk.id(in: channel.channelID) != Fixtures.otherPSK.id(in: channel.channelID))
        let slot = try #require(channel.keyload.keyloadContent?.pskSlots.first)
        let epk = Fixtures.epochSecret.publicKey
        #expect(throws: StreamsError.pskUnwrapFailed(epoch: 1, pskID: slot.pskID)) {
            _ = try EpochSecret.open(
                pskSlot: slot, with: Fixtures.otherPSK, channelID: channel.channelID, epoch: 1, epochPublicKey: epk)
        }
        // The right key, but the wrap is bound to epoch 1.
        #expect(throws: StreamsError.pskUnwrapFailed(epoch: 2, pskID: slot.pskID)) {
            _ = try EpochSecret.open(
                pskSlot: slot, with: Fixtures.psk, channelID: channel.channelID, epoch: 2, epochPublicKey: epk)
        }
        // The author labels a wrap made with another key with this key's id.
        let secret = EpochSecret()
        let foreign = try secret.pskSlot(for: Fixtures.otherPSK, channelID: channel.channelID, epoch: 2)
        let mislabelled = try KeyloadContent.PSKSlot(pskID: Fixtures.psk.id(in: channel.channelID), wrap: foreign.wrap)
        let keyload = try maliciousKeyload(&channel, secret: secret, pskSlots: [mislabelled])
        let access = try channel.deliver(keyload).map(\.content.access)
        #expect(access[3] == .refused(.pskUnwrapFailed(epoch: 2, pskID: mislabelled.pskID)))
        #expect(channel.auditor.epochSecret(2) == nil)
    }

    @Test("an epoch secret that does not match the key commitment, the epoch key, or its binding is refused")
    func keyCommitmentMismatch() throws {
        var channel = try PrivateChannel()
        // X25519 ignores the low three bits, so this secret has the committed public key but is another secret.
        var raw = Fixtures.epochSecret.rawRepresentation
        raw[0] ^= 0x01
        let twin = try EpochSecret(rawRepresentation: raw)
        #expect(twin.publicKey == Fixtures.epochSecret.publicKey)
        let slot = twin.readerSlot(for: Fixtures.readerAgreement.publicKey, channelID: channel.channelID, epoch: 2)
        let twinKeyload = try maliciousKeyload(&channel, secret: Fixtures.epochSecret, readerSlots: [slot])
        let events = try channel.deliver(twinKeyload)
        #expect(events[2].content.access == .refused(.keyCommitmentMismatch(epoch: 2)))
        #expect(channel.readerReader.epochSecret(2) == nil)
        // Every validator still accepts the keyload: only the cheated reader can tell, and it says so.
        #expect(channel.keyless.currentEpoch?.number == 2)
        // Committed to its own key, but the keyload names another epoch public key.
        var otherChannel = try PrivateChannel()
        let stranger = EpochSecret()
        let keyload = try maliciousKeyload(
            &otherChannel, secret: Fixtures.epochSecret,
            commitment: stranger.commitment(channelID: otherChannel.channelID, epoch: 2),
            readerSlots: [
                stranger.readerSlot(
                    for: Fixtures.readerAgreement.publicKey, channelID: otherChannel.channelID, epoch: 2)
            ])
        #expect(try otherChannel.deliver(keyload)[2].content.access == .refused(.epochKeyMismatch(epoch: 2)))
        // Sealed for another epoch of the same channel.
        var bindingChannel = try PrivateChannel()
        let replayedSlot = Fixtures.epochSecret.readerSlot(
            for: Fixtures.readerAgreement.publicKey, channelID: bindingChannel.channelID, epoch: 1)
        let rebound = try maliciousKeyload(&bindingChannel, secret: Fixtures.epochSecret, readerSlots: [replayedSlot])
        #expect(try bindingChannel.deliver(rebound)[2].content.access == .refused(.epochKeyBindingMismatch(epoch: 2)))
    }

    @Test("keyloads that do not fit the channel type or list the author are refused")
    func keyloadRules() throws {
        var channel = try PrivateChannel()
        let noKey = try KeyloadContent(
            epochPublicKey: nil, keyCommitment: [UInt8](repeating: 0, count: 32), readerSlots: [], pskSlots: [],
            grants: [])
        expectRejected(
            try keyload(&channel, content: noKey), by: &channel,
            .keyloadDoesNotFitChannel(
                type: .private, reason: "it has no epoch public key"))
        let listsAuthor = try KeyloadContent(
            epochPublicKey: nil, keyCommitment: [UInt8](repeating: 0, count: 32), readerSlots: [], pskSlots: [],
            grants: [AccessGrant(signingKey: Fixtures.authorSigning.publicKey, rights: .read)])
        let (publicAuthor, publicAnnounce) = try Fixtures.announce(.public)
        var reader = Fixtures.reader(for: publicAnnounce.id)
        _ = try reader.receive(publicAnnounce)
        var publisher = publicAuthor.publisher
        var draft = EnvelopeDraft(type: .keyload, channelID: publicAnnounce.id)
        draft.epoch = 1
        draft.link = publicAnnounce.id
        draft.publicPayload = listsAuthor.bytes
        let envelope = try publisher.publish(draft)
        guard case .malformed("access list", _) = streamsError({ _ = try reader.receive(envelope) }) else {
            Issue.record("a keyload listing the author was accepted")
            return
        }
        #expect(
            streamsError {
                var author = publicAuthor
                _ = try author.keyload(
                    members: [
                        ChannelMember(signingKey: Fixtures.authorSigning.publicKey, keyAgreementKey: nil, rights: .read)
                    ],
                    claimedTime: 0)
            } == .invalidRequest("the author is always a member and is not listed"))
        // A public channel's keyload carries no keys.
        var another = publicAuthor.publisher
        draft.publicPayload = try #require(channel.keyload.keyloadContent).bytes
        let withKeys = try another.publish(draft)
        #expect(
            streamsError { _ = try reader.receive(withKeys) }
                == .keyloadDoesNotFitChannel(type: .public, reason: "it carries an epoch key"))
    }

    @Test("a tagged packet with a forged MAC is refused by readers; keyless validators cannot tell and say so")
    func forgedTag() throws {
        var channel = try PrivateChannel()
        let forged = try TaggedPacket.make(
            in: channel.author.epoch, secret: Fixtures.epochSecret, publicPayload: [1], privatePayload: nil,
            claimedTime: 0)
        var bytes = forged.bytes
        bytes[bytes.count - 1] ^= 1
        let tampered = try Envelope(bytes: bytes)
        #expect(streamsError { _ = try channel.readerReader.receive(tampered) } == .badTag(epoch: 1))
        #expect(streamsError { _ = try channel.auditor.receive(tampered) } == .badTag(epoch: 1))
        guard case .taggedPacket(_, _, false) = try channel.keyless.receive(tampered).content else {
            Issue.record("a keyless validator claimed to authenticate a tagged packet")
            return
        }
        let (publicAuthor, _) = try Fixtures.announce(.public)
        #expect(
            streamsError {
                _ = try TaggedPacket.make(
                    in: publicAuthor.epoch, secret: Fixtures.epochSecret, publicPayload: [], privatePayload: nil,
                    claimedTime: 0)
            } == .taggedWithoutEpochKey(epoch: 0))
    }

    @Test("the first envelope must be the announce of the channel the reader was given")
    func announceFirst() throws {
        let channel = try PrivateChannel()
        var reader = Fixtures.reader(for: channel.channelID)
        #expect(streamsError { _ = try reader.receive(channel.keyload) } == .announceExpected(found: .keyload))
        var other = Fixtures.reader(for: channel.keyload.id)
        #expect(
            streamsError { _ = try other.receive(channel.announce) }
                == .channelIDMismatch(expected: channel.keyload.id, found: channel.channelID))
        #expect(reader.currentEpoch == nil && reader.acceptedCount == 0)
    }

    /// A keyload for epoch 2 that the author signs, with content chosen by the test.
    func maliciousKeyload(
        _ channel: inout PrivateChannel, secret: EpochSecret, commitment: [UInt8]? = nil,
        readerSlots: [[UInt8]] = [], pskSlots: [KeyloadContent.PSKSlot] = []
    ) throws -> Envelope {
        let content = try KeyloadContent(
            epochPublicKey: secret.publicKey,
            keyCommitment: commitment ?? secret.commitment(channelID: channel.channelID, epoch: 2),
            readerSlots: readerSlots, pskSlots: pskSlots, grants: [])
        return try keyload(&channel, content: content)
    }

    func keyload(_ channel: inout PrivateChannel, content: KeyloadContent) throws -> Envelope {
        var draft = EnvelopeDraft(type: .keyload, channelID: channel.channelID)
        draft.epoch = 2
        draft.link = channel.keyload.id
        draft.publicPayload = content.bytes
        var author = channel.author.publisher
        return try author.publish(draft)
    }
}
