import CustosCore
import CustosCrypto
import CustosStreams
import Testing

/// The byte format of docs/channels.md §3: strict, canonical, bounded.
@Suite("Envelope codec")
struct EnvelopeCodecTests {
    /// One envelope of every type, from one private channel.
    static func everyType() throws -> [Envelope] {
        var channel = try PrivateChannel()
        let packet = try channel.writerPacket("entry")
        let secret = try #require(channel.readerReader.epochSecret(1))
        let tagged = try TaggedPacket.make(
            in: channel.author.epoch, secret: secret, publicPayload: [1], privatePayload: [2], claimedTime: 3)
        var subscriber = ChannelPublisher(channelID: channel.channelID, signingKey: Fixtures.outsiderSigning)
        let subscribe = try subscriber.subscribe(
            keyAgreementKey: Fixtures.outsiderAgreement.publicKey, requestedRights: .read, claimedTime: 4)
        let unsubscribe = try subscriber.unsubscribe(subscription: subscribe.id, claimedTime: 5)
        return [channel.announce, channel.keyload, packet, tagged, subscribe, unsubscribe]
    }

    @Test("every type decodes to itself, re-encodes to the same bytes, and keeps its id")
    func roundTrip() throws {
        let envelopes = try Self.everyType()
        #expect(envelopes.map(\.type) == EnvelopeType.allCases)
        for envelope in envelopes {
            let decoded = try Envelope(bytes: envelope.bytes)
            #expect(decoded == envelope)
            #expect(EnvelopeDraft(decoded).body() + decoded.trailer == envelope.bytes)
            #expect(decoded.id == Envelope.id(of: envelope.bytes))
            #expect(decoded.hasValidSignature == envelope.type.isSigned)
        }
    }

    @Test("every strict prefix of every envelope is refused as truncated")
    func truncation() throws {
        for envelope in try Self.everyType() {
            for length in 0..<envelope.bytes.count {
                let error = streamsError { _ = try Envelope(bytes: Array(envelope.bytes.prefix(length))) }
                guard case .truncated(_, let offset, let needed, let remaining) = error else {
                    Issue.record("\(envelope.type) cut to \(length) bytes gave \(String(describing: error))")
                    continue
                }
                #expect(remaining < needed && offset + remaining == length)
            }
        }
        let announce = try Self.everyType()[0]
        #expect(
            streamsError { _ = try Envelope(bytes: Array(announce.bytes.prefix(10))) }
                == .truncated(field: "channel id", offset: 2, needed: 32, remaining: 8))
    }

    @Test("a length field that claims more bytes than follow is truncation, not a crash")
    func lyingLength() throws {
        var bytes = try Self.everyType()[2].bytes
        bytes.replaceSubrange(150..<154, with: [0xff, 0xff, 0xff, 0x7f])
        guard case .truncated(let field, 154, 0x7fff_ffff, _) = streamsError({ _ = try Envelope(bytes: bytes) }) else {
            Issue.record("expected truncation of the public payload")
            return
        }
        #expect(field == "public payload")
    }

    @Test("trailing bytes, an unknown version or type are refused by name")
    func strictness() throws {
        let packet = try Self.everyType()[2]
        #expect(
            streamsError { _ = try Envelope(bytes: packet.bytes + [0]) }
                == .trailingBytes(field: "envelope", count: 1))
        var version = packet.bytes
        version[0] = 2
        #expect(streamsError { _ = try Envelope(bytes: version) } == .unsupportedVersion(2))
        for code: UInt8 in [0, 7, 255] {
            var type = packet.bytes
            type[1] = code
            #expect(streamsError { _ = try Envelope(bytes: type) } == .unknownEnvelopeType(code))
        }
        #expect(
            streamsError { _ = try Envelope(bytes: []) }
                == .truncated(field: "version", offset: 0, needed: 1, remaining: 0))
    }

    @Test("an envelope over the ledger's budget is refused when built and when read; one at the limit is fine")
    func sizeLimit() throws {
        #expect(Envelope.maximumByteCount == 32_256)
        var (author, _) = try Fixtures.announce(.public)
        // 254 bytes of a signed packet are not public payload (fixed header, lengths, ephemeral key, signature).
        let overhead = 254
        let largest = try author.signedPacket(
            publicPayload: [UInt8](repeating: 0x61, count: Envelope.maximumByteCount - overhead), privatePayload: nil,
            claimedTime: 0)
        #expect(largest.bytes.count == Envelope.maximumByteCount)
        #expect(try Envelope(bytes: largest.bytes) == largest)
        let before = author.publisher.nextSequence
        #expect(
            streamsError {
                _ = try author.signedPacket(
                    publicPayload: [UInt8](repeating: 0x61, count: Envelope.maximumByteCount - overhead + 1),
                    privatePayload: nil, claimedTime: 0)
            } == .envelopeTooLarge(size: Envelope.maximumByteCount + 1, limit: Envelope.maximumByteCount))
        #expect(author.publisher.nextSequence == before, "a refused packet uses no sequence number")
        for size in [Envelope.maximumByteCount + 1, 32 * 1024, 32 * 1024 + 1, 1 << 20] {
            #expect(
                streamsError { _ = try Envelope(bytes: [UInt8](repeating: 1, count: size)) }
                    == .envelopeTooLarge(size: size, limit: Envelope.maximumByteCount))
        }
    }

    @Test("fields a type forbids are refused even when signed")
    func shapes() throws {
        let envelopes = try Self.everyType()
        let key = Fixtures.authorSigning
        func reject(_ envelope: Envelope, _ field: String, _ change: (inout EnvelopeDraft) -> Void) {
            var draft = EnvelopeDraft(envelope)
            draft.publisher = key.publicKey
            change(&draft)
            guard case .malformed(let found, _) = streamsError({ _ = try draft.signed(by: key) }) else {
                Issue.record("\(envelope.type): \(field) was not refused")
                return
            }
            #expect(found == field, "\(envelope.type)")
        }
        reject(envelopes[0], "channel id") { $0.channelID = envelopes[0].id }
        reject(envelopes[0], "seq") { $0.sequence = 1 }
        reject(envelopes[0], "link") { $0.link = envelopes[0].id }
        reject(envelopes[1], "epoch") { $0.epoch = 0 }
        reject(envelopes[2], "channel id") { $0.channelID = .zero }
        reject(envelopes[2], "ephemeral key") { $0.ephemeralKey = nil }
        reject(envelopes[2], "ephemeral key") { $0.sealed = [] }
        reject(envelopes[2], "sealed part") { $0.sealed = [UInt8](repeating: 0, count: 39) }
        reject(envelopes[4], "link") { $0.link = envelopes[1].id }
        reject(envelopes[4], "epoch") { $0.epoch = 1 }
        reject(envelopes[5], "public payload") { $0.publicPayload = [1] }
        // A tagged packet has no publisher and no chain.
        var tagged = EnvelopeDraft(envelopes[3])
        tagged.sequence = 1
        guard
            case .malformed("seq", _) = streamsError({ _ = try Envelope(bytes: tagged.body() + envelopes[3].trailer) })
        else {
            Issue.record("a tagged packet with a sequence number was accepted")
            return
        }
    }

    @Test("a low-order ephemeral key and content that is not its type's structure are refused")
    func contentChecks() throws {
        let packet = try Self.everyType()[2]
        var bytes = packet.bytes
        let ephemeralOffset = 150 + 4 + packet.publicPayload.count
        bytes.replaceSubrange(ephemeralOffset..<ephemeralOffset + 32, with: [1] + [UInt8](repeating: 0, count: 31))
        #expect(streamsError { _ = try Envelope(bytes: bytes) } == .invalidKey(field: "ephemeral key"))
        let announce = try Self.everyType()[0]
        var draft = EnvelopeDraft(announce)
        draft.publicPayload.append(0)
        #expect(
            streamsError { _ = try draft.signed(by: Fixtures.authorSigning) }
                == .trailingBytes(field: "announce content", count: 1))
        draft.publicPayload = [9] + Array(draft.publicPayload.dropFirst().dropLast())
        #expect(streamsError { _ = try draft.signed(by: Fixtures.authorSigning) } == .unknownChannelType(9))
    }

    @Test("drafts are signed only by their publisher, and MACs only go on tagged packets")
    func draftRules() throws {
        let packet = try Self.everyType()[2]
        #expect(
            streamsError { _ = try EnvelopeDraft(packet).signed(by: Fixtures.outsiderSigning) }
                == .invalidRequest("the signing key is not the draft's publisher"))
        let tagKey = Fixtures.epochSecret.tagKey(channelID: packet.channelID, epoch: 1)
        #expect(
            streamsError { _ = try EnvelopeDraft(packet).tagged(with: tagKey) }
                == .invalidRequest("only tagged packets carry a MAC"))
    }
}
