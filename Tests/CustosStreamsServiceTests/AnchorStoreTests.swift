import CustosCore
import CustosCrypto
import CustosStore
import CustosStoreTesting
import CustosStreams
import Foundation
import Logging
import Synchronization
import Testing

@testable import CustosStreamsService

/// The outbox in PostgreSQL: envelopes recorded under the channel's lock stay out of reads until a round has put
/// them on the ledger; rounds of a channel never overlap and take envelopes in position order, once each.
@Suite("Anchoring rounds in PostgreSQL")
struct AnchorStoreTests {
    static let tenant = TenantID("acme")!
    static let author = "did:key:author"

    /// A public channel with its author, and `count` packets recorded (not anchored).
    static func channelWithPackets(_ store: StreamsStore, count: Int, seed: String = "seed") async throws
        -> (ChannelRow, [Envelope])
    {
        let keys = ParticipantKeys(seed: seed, context: [UInt8](repeating: 9, count: 16))
        let announce = try ChannelAuthor.create(
            signingKey: keys.signing, keyAgreementKey: keys.keyAgreement, channelType: .public,
            claimedTime: 1_800_000_000_000
        ).announce
        let channel = ChannelRow(
            tenant: tenant, channelID: announce.id, name: seed, description: nil, type: .public, hidden: false,
            visibility: [], author: Self.author, peerPublicKey: nil, sealedPSK: nil, created: time,
            latestMessage: time, topics: [], epoch: 0, epochAnchor: announce.id, nextPosition: 1)
        let subscription = SubscriptionRow(
            channelID: announce.id, subscriber: Self.author, kind: .author, rights: .readAndWrite, isAuthorized: true,
            publicKey: keys.signing.publicKey.rawRepresentation,
            keyAgreementKey: keys.keyAgreement.publicKey.rawRepresentation, sealedKeys: nil, sealedPSK: nil,
            pskID: nil, subscribeID: nil, keyloadID: nil, firstPosition: 0, nextSequence: 1, previous: announce.id,
            created: time, lastModified: nil)
        let staged = [EnvelopeRow(position: 0, messageID: nil, written: time, envelope: announce)]
        #expect(try await store.insertChannel(channel, author: subscription, envelopes: staged))
        let packets = try await record(store, channel, count: count, from: 1)
        return (channel, [announce] + packets.map(\.envelope))
    }

    static let time = Date(timeIntervalSince1970: 1_800_000_000)

    /// Records `count` packets at the channel's positions from `first` on, as a batch of writes does (the store does
    /// not look at whose they are).
    static func record(_ store: StreamsStore, _ channel: ChannelRow, count: Int, from first: Int) async throws
        -> [EnvelopeRow]
    {
        var (author, _) = try ChannelAuthor.create(
            signingKey: Ed25519.PrivateKey(), keyAgreementKey: X25519.PrivateKey(), channelType: .public,
            claimedTime: 1_800_000_000_000)
        var rows: [EnvelopeRow] = []
        for index in 0..<count {
            let packet = try author.signedPacket(
                publicPayload: Array("entry \(first + index)".utf8), privatePayload: nil, claimedTime: 1_800_000_000_000
            )
            rows.append(EnvelopeRow(position: Int64(first + index), messageID: nil, written: time, envelope: packet))
        }
        let next = Int64(first + count)
        try await store.withChannel(tenant, channel.channelID) { [rows] connection, locked in
            var advanced = locked
            advanced.nextPosition = next
            try await store.recordEnvelopes(advanced, rows, chains: [], on: connection)
        }
        return rows
    }

    /// A migrated store over a PostgreSQL of its own.
    static func withStore(_ body: @Sendable (StreamsStore) async throws -> Void) async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let store = StreamsStore(
                    client: client, masterKey: MasterKey(key: SymmetricKey()), logger: Logger(label: "test"))
                try await store.migrate()
                try await body(store)
            }
        }
    }

    /// One channel's round.
    static func round(
        _ store: StreamsStore, _ channelID: Digest32, batch: [EnvelopeRow]?, wanted: [Int64], limit: Int,
        maximumBytes: Int, submit: @Sendable ([Envelope]) async throws -> [Digest32]
    ) async throws -> AnchorRound {
        let rounds = try await store.anchor(
            tenant, [ChannelAnchoring(channelID: channelID, batch: batch, wanted: wanted)], limit: limit,
            maximumBytes: maximumBytes, submit: submit)
        return try #require(rounds[channelID])
    }

    /// A stand-in for the ledger that records what it was given, in order.
    final class Ledger: Sendable {
        struct State {
            var submitted: [Digest32] = []
            var failNext = false
        }

        let state = Mutex(State())

        static func messageID(of envelope: Envelope) -> Digest32 {
            try! Digest32(bytes: BLAKE2b.hash256(Array("message".utf8) + envelope.id.bytes))
        }

        func submit(_ envelopes: [Envelope]) async throws -> [Digest32] {
            let fail = state.withLock { state in
                defer { state.failNext = false }
                return state.failNext
            }
            try await Task.sleep(for: .milliseconds(20))
            return try state.withLock { state in
                if fail { throw CancellationError() }
                state.submitted += envelopes.map(\.id)
                return envelopes.map { Self.messageID(of: $0) }
            }
        }
    }

    @Test("pending envelopes are hidden from reads until a round anchors them, in position order, once")
    func rounds() async throws {
        try await Self.withStore { store in
            let (channel, envelopes) = try await Self.channelWithPackets(store, count: 30)
            let read = {
                try await store.packets(
                    Self.tenant, channel.channelID, fromPosition: 0, start: nil, end: nil, ascending: true,
                    limit: 100, offset: 0)
            }
            #expect(try await read().isEmpty)
            #expect(try await store.envelopes(Self.tenant, channel.channelID, from: 0, limit: 100).isEmpty)
            // Writers still find a pending envelope by id (a keyload counts from the moment it is recorded).
            let pending = try await store.envelope(Self.tenant, channel.channelID, id: envelopes[3].id)
            #expect(pending != nil && pending?.messageID == nil)
            #expect(
                try await store.channelsWithPendingEnvelopes(recordedBefore: Date.distantFuture, limit: 10).map(
                    \.channelID) == [channel.channelID])

            let ledger = Ledger()
            // A failed submission records nothing: the envelopes stay pending.
            ledger.state.withLock { $0.failNext = true }
            await #expect(throws: (any Error).self) {
                try await Self.round(
                    store, channel.channelID, batch: nil, wanted: [], limit: 1000, maximumBytes: 1 << 20,
                    submit: ledger.submit)
            }
            #expect(try await read().isEmpty)

            // Four workers' rounds at once, ten envelopes each at most, hold no lock across the ledger hop: some
            // envelopes may go to the ledger twice, but the first copy of each is in position order, and each
            // gets one message id.
            let outcomes = try await withThrowingTaskGroup(of: AnchorRound.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await Self.round(
                            store, channel.channelID, batch: nil, wanted: [5, 25], limit: 10,
                            maximumBytes: 1 << 20, submit: ledger.submit)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // Whatever the first four left is anchored by further rounds, one at a time.
            while try await Self.round(
                store, channel.channelID, batch: nil, wanted: [], limit: 10, maximumBytes: 1 << 20,
                submit: ledger.submit
            ).leftPending {}
            let submitted = ledger.state.withLock { $0.submitted }
            var firstCopies: [Digest32] = []
            for id in submitted where !firstCopies.contains(id) { firstCopies.append(id) }
            #expect(firstCopies == envelopes.map(\.id))
            // Whoever waited for position 5 got the id that was recorded for it.
            let recorded5 = try await store.envelope(Self.tenant, channel.channelID, id: envelopes[5].id)
            #expect(outcomes.allSatisfy { $0.messageIDs[5] == nil || $0.messageIDs[5] == recorded5?.messageID })
            #expect(outcomes.contains { $0.messageIDs[5] != nil })

            let rows = try await read()
            #expect(rows.map(\.position) == Array(1...30))
            for row in rows {
                #expect(row.messageID == Ledger.messageID(of: row.envelope))
            }
            // A round handed its batch by the writers (contiguous from the prefix) submits exactly that.
            let more = try await Self.record(store, channel, count: 2, from: envelopes.count)
            let handed = try await Self.round(
                store, channel.channelID, batch: more, wanted: more.map(\.position), limit: 10,
                maximumBytes: 1 << 20, submit: ledger.submit)
            #expect(handed.messageIDs.count == 2 && handed.nextPosition == Int64(envelopes.count + 2))
            #expect(
                try await store.channelsWithPendingEnvelopes(recordedBefore: Date.distantFuture, limit: 10)
                    .isEmpty)
            // Nothing left: the next round is idle and submits nothing.
            let submittedBefore = ledger.state.withLock { $0.submitted.count }
            let idle = try await Self.round(
                store, channel.channelID, batch: nil, wanted: [30], limit: 10, maximumBytes: 1 << 20,
                submit: ledger.submit)
            #expect(idle.wasIdle && !idle.leftPending && idle.messageIDs[30] != nil)
            #expect(ledger.state.withLock { $0.submitted.count } == submittedBefore)
        }
    }

    @Test("a round stops at its byte budget, but always takes one envelope")
    func byteBudget() async throws {
        try await Self.withStore { store in
            let (channel, _) = try await Self.channelWithPackets(store, count: 3)
            let ledger = Ledger()
            let first = try await Self.round(
                store, channel.channelID, batch: nil, wanted: [], limit: 1000, maximumBytes: 1,
                submit: ledger.submit)
            #expect(first.leftPending && first.messageIDs.count == 1)
            let rest = try await Self.round(
                store, channel.channelID, batch: nil, wanted: [], limit: 1000, maximumBytes: 1 << 20,
                submit: ledger.submit)
            #expect(!rest.leftPending && rest.messageIDs.count == 3)
        }
    }

    @Test("one round carries several channels in one ledger submission, each in position order, within its limit")
    func severalChannels() async throws {
        try await Self.withStore { store in
            let (first, firstEnvelopes) = try await Self.channelWithPackets(store, count: 3, seed: "one")
            let (second, secondEnvelopes) = try await Self.channelWithPackets(store, count: 4, seed: "two")
            let ledger = Ledger()
            let parts = [first, second].map { ChannelAnchoring(channelID: $0.channelID, batch: nil, wanted: []) }
            // Room for six: the first channel's four envelopes, and two of the second's.
            let rounds = try await store.anchor(
                Self.tenant, parts, limit: 6, maximumBytes: 1 << 20, submit: ledger.submit)
            #expect(
                ledger.state.withLock { $0.submitted } == firstEnvelopes.map(\.id)
                    + secondEnvelopes.prefix(2).map(\.id))
            #expect(rounds[first.channelID]?.nextPosition == 4 && rounds[first.channelID]?.leftPending == false)
            #expect(rounds[second.channelID]?.nextPosition == 2 && rounds[second.channelID]?.leftPending == true)
            let rest = try await store.anchor(
                Self.tenant, parts, limit: 6, maximumBytes: 1 << 20, submit: ledger.submit)
            #expect(rest[first.channelID]?.wasIdle == true)
            #expect(rest[second.channelID]?.messageIDs.count == 3)
            #expect(ledger.state.withLock { $0.submitted.suffix(3) } == secondEnvelopes.suffix(3).map(\.id))
        }
    }

    @Test("a channel with envelopes not on the ledger is not closed until a round anchored them")
    func deletionWaitsForPending() async throws {
        try await Self.withStore { store in
            let (channel, _) = try await Self.channelWithPackets(store, count: 2)
            #expect(try await store.deleteChannel(Self.tenant, channel.channelID) == .pending)
            let ledger = Ledger()
            _ = try await Self.round(
                store, channel.channelID, batch: nil, wanted: [], limit: 1, maximumBytes: 1 << 20,
                submit: ledger.submit)
            // One of three anchored: still pending.
            #expect(try await store.deleteChannel(Self.tenant, channel.channelID) == .pending)
            _ = try await Self.round(
                store, channel.channelID, batch: nil, wanted: [], limit: 1000, maximumBytes: 1 << 20,
                submit: ledger.submit)
            #expect(try await store.deleteChannel(Self.tenant, channel.channelID) == .deleted)
            #expect(try await store.deleteChannel(Self.tenant, channel.channelID) == .missing)
        }
    }
}
