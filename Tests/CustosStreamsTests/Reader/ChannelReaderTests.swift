import CustosCore
import CustosCrypto
import CustosStreams
import Testing

/// The channel as it should work: who reads what, who may write, what a keyless auditor still checks.
@Suite("Channel reader")
struct ChannelReaderTests {
    @Test("a private channel: the writer's and author's packets reach every reader, sealed parts only key holders")
    func privateChannel() throws {
        var channel = try PrivateChannel()
        let accesses = channel.readers.map { $0.1.access(to: 1) }
        #expect(accesses == [.readable, .noAccess, .readable, .readable, .noAccess])
        let fromWriter = try channel.writerPacket("public text", secret: "private text")
        let events = try channel.deliver(fromWriter)
        let payloads = events.map(\.content.privatePayload)
        let plaintext = PrivatePayload.plaintext(Array("private text".utf8))
        #expect(payloads == [plaintext, .sealed, plaintext, plaintext, .sealed])
        for event in events {
            guard case .signedPacket(let publisher, let publicPayload, _) = event.content else {
                Issue.record("expected a signed packet, got \(event.content)")
                continue
            }
            #expect(publisher == Fixtures.writerSigning.publicKey)
            #expect(publicPayload == Array("public text".utf8))
        }
        let fromAuthor = try channel.author.signedPacket(
            publicPayload: [1], privatePayload: [2, 3], claimedTime: Fixtures.time + 20)
        #expect(try channel.deliver(fromAuthor).map(\.content.privatePayload)[2] == .plaintext([2, 3]))
        for (name, reader) in channel.readers {
            #expect(reader.acceptedCount == 4, "\(name)")
            #expect(reader.chainPosition(of: Fixtures.writerSigning.publicKey).previous == fromWriter.id, "\(name)")
            #expect(reader.chainPosition(of: Fixtures.authorSigning.publicKey).nextSequence == 3, "\(name)")
        }
    }

    @Test("a packet without a private payload has no sealed part, and an empty one is still sealed")
    func optionalPrivatePayload() throws {
        var channel = try PrivateChannel()
        let open = try channel.writerPacket("only public", secret: nil)
        #expect(open.ephemeralKey == nil && open.sealed.isEmpty)
        #expect(
            try channel.deliver(open).map(\.content.privatePayload) == Array(repeating: PrivatePayload.none, count: 5))
        let empty = try channel.writerPacket("empty secret", secret: "")
        #expect(empty.sealed.count == 40)
        #expect(try channel.deliver(empty)[0].content.privatePayload == .plaintext([]))
    }

    @Test("a public channel: keyloads list writers and carry no keys, packets are in clear, PSKs are refused")
    func publicChannel() throws {
        var (author, announce) = try Fixtures.announce(.public)
        var reader = Fixtures.reader(for: announce.id)
        _ = try reader.receive(announce)
        let early = try author.signedPacket(publicPayload: [1], privatePayload: nil, claimedTime: Fixtures.time)
        #expect(try reader.receive(early).content.privatePayload == PrivatePayload.none)
        #expect(
            streamsError { _ = try author.keyload(members: [], presharedKeys: [Fixtures.psk], claimedTime: 0) }
                == .invalidRequest("a public channel has no epoch secret to wrap for pre-shared keys"))
        let keyload = try author.keyload(members: [Fixtures.writer], claimedTime: Fixtures.time + 1)
        #expect(keyload.keyloadContent?.epochPublicKey == nil)
        #expect(keyload.keyloadContent?.readerSlots.isEmpty == true)
        #expect(try reader.receive(keyload).content.access == .clear)
        var writer = reader.publisher(signingKey: Fixtures.writerSigning)
        let packet = try writer.signedPacket(
            in: reader.currentEpoch!, publicPayload: [7], privatePayload: nil, claimedTime: Fixtures.time + 2)
        #expect(
            try reader.receive(packet).content
                == .signedPacket(
                    publisher: Fixtures.writerSigning.publicKey, publicPayload: [7], privatePayload: .none))
        #expect(
            streamsError {
                _ = try writer.signedPacket(
                    in: reader.currentEpoch!, publicPayload: [], privatePayload: [1], claimedTime: 0)
            } == .sealedWithoutEpochKey(epoch: 1))
    }

    @Test("epoch 0 lets only the author write, and only in clear")
    func epochZero() throws {
        var (author, announce) = try Fixtures.announce()
        var reader = Fixtures.reader(for: announce.id)
        _ = try reader.receive(announce)
        #expect(reader.currentEpoch?.number == 0)
        #expect(reader.currentEpoch?.anchor == announce.id)
        #expect(
            streamsError { _ = try author.signedPacket(publicPayload: [], privatePayload: [1], claimedTime: 0) }
                == .sealedWithoutEpochKey(epoch: 0))
        var writer = ChannelPublisher(channelID: announce.id, signingKey: Fixtures.writerSigning)
        #expect(
            streamsError {
                _ = try writer.signedPacket(in: author.epoch, publicPayload: [], privatePayload: nil, claimedTime: 0)
            } == .notAWriter(publisher: Fixtures.writerSigning.publicKey, epoch: 0, rights: nil))
        let packet = try author.signedPacket(publicPayload: [1], privatePayload: nil, claimedTime: 0)
        _ = try reader.receive(packet)
        #expect(reader.acceptedCount == 2)
    }

    @Test("subscribe, a keyload granting the request, and unsubscribe")
    func subscription() throws {
        var (author, announce) = try Fixtures.announce()
        var authorReader = Fixtures.reader(for: announce.id, key: Fixtures.authorAgreement)
        _ = try authorReader.receive(announce)
        var subscriber = ChannelPublisher(channelID: announce.id, signingKey: Fixtures.readerSigning)
        let subscribe = try subscriber.subscribe(
            keyAgreementKey: Fixtures.readerAgreement.publicKey, requestedRights: .readAndWrite,
            claimedTime: Fixtures.time)
        guard case .subscribe(let subscription) = try authorReader.receive(subscribe).content else {
            Issue.record("expected a subscribe event")
            return
        }
        #expect(subscription.id == subscribe.id)
        #expect(subscription.requestedRights == .readAndWrite)
        #expect(authorReader.subscriptions[Fixtures.readerSigning.publicKey] == subscription)
        #expect(
            streamsError { _ = try authorReader.receive(subscribe) }
                == .alreadySubscribed(Fixtures.readerSigning.publicKey))
        let keyload = try author.keyload(
            members: [ChannelMember(subscription: subscription)], claimedTime: Fixtures.time)
        _ = try authorReader.receive(keyload)

        var subscriberReader = Fixtures.reader(for: announce.id, key: Fixtures.readerAgreement)
        for envelope in [announce, subscribe, keyload] { _ = try subscriberReader.receive(envelope) }
        #expect(subscriberReader.access(to: 1) == .readable)
        var continuing = subscriberReader.publisher(signingKey: Fixtures.readerSigning)
        #expect(continuing.nextSequence == 1 && continuing.previous == subscribe.id)
        let packet = try continuing.signedPacket(
            in: subscriberReader.currentEpoch!, publicPayload: [], privatePayload: [42], claimedTime: Fixtures.time)
        #expect(try authorReader.receive(packet).content.privatePayload == .plaintext([42]))
        let unsubscribe = try continuing.unsubscribe(subscription: subscribe.id, claimedTime: Fixtures.time)
        #expect(try authorReader.receive(unsubscribe).content == .unsubscribe(subscription))
        #expect(authorReader.subscriptions.isEmpty)
        // Withdrawing changes no rights until the author's next keyload leaves the subscriber out.
        #expect(authorReader.currentEpoch?.mayWrite(Fixtures.readerSigning.publicKey) == true)
    }

    @Test("tagged packets: readers check the MAC and read them; keyless validators pass them unauthenticated")
    func taggedPackets() throws {
        var channel = try PrivateChannel()
        let secret = try #require(channel.readerReader.epochSecret(1))
        let tagged = try TaggedPacket.make(
            in: channel.readerReader.currentEpoch!, secret: secret, publicPayload: [1], privatePayload: [2],
            claimedTime: Fixtures.time)
        let events = try channel.deliver(tagged)
        let contents = events.map(\.content)
        let read = ChannelEvent.Content.taggedPacket(
            publicPayload: [1], privatePayload: .plaintext([2]), authenticated: true)
        let unread = ChannelEvent.Content.taggedPacket(
            publicPayload: [1], privatePayload: .sealed, authenticated: false)
        #expect(contents == [read, unread, read, read, unread])
        let epoch = try #require(channel.readerReader.currentEpoch)
        #expect(
            streamsError {
                _ = try TaggedPacket.make(
                    in: epoch, secret: EpochSecret(), publicPayload: [], privatePayload: nil, claimedTime: 0)
            } == .epochKeyMismatch(epoch: 1))
    }

    @Test("readers find their slot among many, and the author always has one")
    func manyReaders() throws {
        var (author, announce) = try Fixtures.announce()
        let keys = (0..<20).map { _ in X25519.PrivateKey() }
        let members = keys.map {
            ChannelMember(signingKey: Ed25519.PrivateKey().publicKey, keyAgreementKey: $0.publicKey, rights: .read)
        }
        let keyload = try author.keyload(members: members, claimedTime: 0)
        #expect(keyload.keyloadContent?.readerSlots.count == 21)
        for key in keys + [Fixtures.authorAgreement] {
            var reader = Fixtures.reader(for: announce.id, key: key)
            _ = try reader.receive(announce)
            #expect(try reader.receive(keyload).content.access == .readable)
            #expect(reader.epochSecret(1)?.rawRepresentation == author.epochSecret?.rawRepresentation)
        }
    }

    @Test("the channel address round-trips to the channel id and starts the same reader")
    func address() throws {
        let (_, announce) = try Fixtures.announce()
        let address = ChannelAddress(channelID: announce.id)
        #expect(address.description.count == 105)
        let parsed = try ChannelAddress(address.description)
        #expect(parsed.channelID == announce.id)
        var reader = ChannelReader(address: parsed)
        _ = try reader.receive(announce)
        #expect(reader.author == Fixtures.authorSigning.publicKey)
        #expect(announce.ledgerTag.count == 47)
    }
}
