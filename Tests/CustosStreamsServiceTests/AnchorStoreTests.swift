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
    static func channelWithPackets(_ store: StreamsStore, count: Int) async throws -> (ChannelRow, [Envelope]) {
        let keys = ParticipantKeys(seed: "seed", context: [UInt8](repeating: 9, count: 16))
        var (author, announce) = try ChannelAuthor.create(
            signingKey: keys.signing, keyAgreementKey: keys.keyAgreement, channelType: .public,
            claimedTime: 1_800_000_000_000)
        let time = Date(timeIntervalSince1970: 1_800_000_000)
        var channel = ChannelRow(
            tenant: tenant, channelID: announce.id, name: "c", description: nil, type: .public, hidden: false,
            visibility: [], author: Self.author, peerPublicKey: nil, sealedPSK: nil, created: time,
            latestMessage: time, topics: [], epoch: 0, epochAnchor: announce.id, nextPosition: 0)
        let subscription = SubscriptionRow(
            channelID: announce.id, subscriber: Self.author, kind: .author, rights: .readAndWrite, isAuthorized: true,
            publicKey: keys.signing.publicKey.rawRepresentation,
            keyAgreementKey: keys.keyAgreement.publicKey.rawRepresentation, sealedKeys: nil, sealedPSK: nil,
            pskID: nil, subscribeID: nil, keyloadID: nil, firstPosition: 0, nextSequence: 1, previous: announce.id,
            created: time, lastModified: nil)
        let staged = [EnvelopeRow(position: 0, messageID: nil, written: time, envelope: announce)]
        channel.nextPosition = 1
        #expect(try await store.insertChannel(channel, author: subscription, envelopes: staged))
        var packets: [Envelope] = []
        for index in 0..<count {
            packets.append(
                try author.signedPacket(
                    publicPayload: Array("entry \(index)".utf8), privatePayload: nil, claimedTime: 1_800_000_000_000))
        }
        let rows = packets.enumerated().map { index, packet in
            EnvelopeRow(position: Int64(index + 1), messageID: nil, written: time, envelope: packet)
        }
        let next = channel.nextPosition + Int64(count)
        try await store.withChannel(tenant, channel.channelID) { connection, locked in
            var advanced = locked
            advanced.nextPosition = next
            try await store.recordEnvelopes(advanced, rows, chains: [], on: connection)
        }
        channel.nextPosition = next
        return (channel, [announce] + packets)
    }

    /// A stand-in for the ledger that records what it was given and whether two rounds ever overlapped.
    final class Ledger: Sendable {
        struct State {
            var submitted: [Digest32] = []
            var running = 0
            var overlapped = false
            var failNext = false
        }

        let state = Mutex(State())

        static func messageID(of envelope: Envelope) -> Digest32 {
            try! Digest32(bytes: BLAKE2b.hash256(Array("message".utf8) + envelope.id.bytes))
        }

        func submit(_ envelopes: [Envelope]) async throws -> [Digest32] {
            let fail = state.withLock { state in
                state.running += 1
                if state.running > 1 { state.overlapped = true }
                defer { state.failNext = false }
                return state.failNext
            }
            try await Task.sleep(for: .milliseconds(20))
            return try state.withLock { state in
                state.running -= 1
                if fail { throw CancellationError() }
                state.submitted += envelopes.map(\.id)
                return envelopes.map { Self.messageID(of: $0) }
            }
        }
    }

    @Test("pending envelopes are hidden from reads until a round anchors them, in position order, once")
    func rounds() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let store = StreamsStore(
                    client: client, masterKey: MasterKey(key: SymmetricKey()), logger: Logger(label: "test"))
                try await store.migrate()
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
                // A failed submission anchors nothing: the transaction rolls back and the envelopes stay pending.
                ledger.state.withLock { $0.failNext = true }
                await #expect(throws: (any Error).self) {
                    try await store.anchorPending(
                        Self.tenant, channel.channelID, wanted: [], limit: 1000, maximumBytes: 1 << 20,
                        submit: ledger.submit)
                }
                #expect(try await read().isEmpty)

                // Three rounds at once, ten envelopes each at most: they take turns under the advisory lock.
                let outcomes = try await withThrowingTaskGroup(of: AnchorRound.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            try await store.anchorPending(
                                Self.tenant, channel.channelID, wanted: [5, 25], limit: 10, maximumBytes: 1 << 20,
                                submit: ledger.submit)
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                let state = ledger.state.withLock { $0 }
                #expect(!state.overlapped)
                // The announce and the 30 packets, each once, in position order.
                #expect(state.submitted == envelopes.map(\.id))
                #expect(outcomes.filter(\.leftPending).count == 3)
                // Whoever waited for positions 5 and 25 got their ids, also from a round that did not anchor them.
                let id5 = Ledger.messageID(of: envelopes[5])
                #expect(outcomes.contains { $0.messageIDs[5] == id5 })

                let rows = try await read()
                #expect(rows.map(\.position) == Array(1...30))
                for row in rows {
                    #expect(row.messageID == Ledger.messageID(of: row.envelope))
                }
                #expect(
                    try await store.channelsWithPendingEnvelopes(recordedBefore: Date.distantFuture, limit: 10)
                        .isEmpty)
                // Nothing left: the next round is idle and submits nothing.
                let idle = try await store.anchorPending(
                    Self.tenant, channel.channelID, wanted: [30], limit: 10, maximumBytes: 1 << 20,
                    submit: ledger.submit)
                #expect(idle.wasIdle && !idle.leftPending && idle.messageIDs[30] != nil)
                #expect(ledger.state.withLock { $0.submitted.count } == 31)
            }
        }
    }

    @Test("a round stops at its byte budget, but always takes one envelope")
    func byteBudget() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let store = StreamsStore(
                    client: client, masterKey: MasterKey(key: SymmetricKey()), logger: Logger(label: "test"))
                try await store.migrate()
                let (channel, _) = try await Self.channelWithPackets(store, count: 3)
                let ledger = Ledger()
                let first = try await store.anchorPending(
                    Self.tenant, channel.channelID, wanted: [], limit: 1000, maximumBytes: 1, submit: ledger.submit)
                #expect(first.leftPending && first.messageIDs.count == 1)
                let rest = try await store.anchorPending(
                    Self.tenant, channel.channelID, wanted: [], limit: 1000, maximumBytes: 1 << 20,
                    submit: ledger.submit)
                #expect(!rest.leftPending && rest.messageIDs.count == 3)
            }
        }
    }
}
