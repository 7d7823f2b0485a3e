import CustosCore
import CustosCrypto
import CustosServer
import CustosStreams
import Foundation
import Synchronization
import Testing

@testable import CustosStreamsService

/// The outbox's scheduling, over rounds that stand in for the store (the store's side, with PostgreSQL, is
/// `AnchorStoreTests`).
@Suite("Anchoring recorded envelopes")
struct EnvelopeAnchoringTests {
    static let tenant = TenantID("acme")!
    static let channel = try! Digest32(bytes: [UInt8](repeating: 7, count: 32))

    /// Any envelope: the rounds here look at positions only.
    static let envelope = try! ChannelAuthor.create(
        signingKey: Ed25519.PrivateKey(), keyAgreementKey: X25519.PrivateKey(), channelType: .public,
        claimedTime: 0
    ).announce

    static func rows(_ positions: [Int64]) -> [EnvelopeRow] {
        positions.map { EnvelopeRow(position: $0, messageID: nil, written: Date(), envelope: envelope) }
    }

    /// A channel's pending positions, anchored by rounds that record how they ran.
    final class FakeChannel: Sendable {
        struct State {
            var pending: [Int64] = []
            var anchored: [Int64: Digest32] = [:]
            var order: [Int64] = []
            var rounds = 0
            var handedOver = 0
            var running = 0
            var overlapped = false
            var failing = false
        }

        let state = Mutex(State())
        let perRound: Int
        init(perRound: Int = 1000) { self.perRound = perRound }

        func record(_ positions: [Int64]) { state.withLock { $0.pending += positions } }

        static func id(_ position: Int64) -> Digest32 {
            try! Digest32(bytes: (0..<32).map { UInt8(truncatingIfNeeded: position &+ Int64($0)) })
        }

        /// A round of the tenant: every channel here is the one fake channel.
        func round(_ channels: [ChannelAnchoring]) async throws -> [Digest32: AnchorRound] {
            #expect(channels.count <= 1)
            guard let channel = channels.first else { return [:] }
            return [channel.channelID: try await round(channel.batch, channel.wanted)]
        }

        func round(_ batch: [EnvelopeRow]?, _ wanted: [Int64]) async throws -> AnchorRound {
            let failing = state.withLock { state in
                state.rounds += 1
                state.running += 1
                if state.running > 1 { state.overlapped = true }
                return state.failing
            }
            try await Task.sleep(for: .milliseconds(5))
            return try state.withLock { state in
                state.running -= 1
                if failing { throw RequestError(.unavailable, "ledger down") }
                let taken: [Int64]
                if let batch {
                    // What the writers handed over must continue the anchored prefix exactly.
                    taken = batch.map(\.position)
                    #expect(Array(state.pending.sorted().prefix(taken.count)) == taken)
                    state.handedOver += 1
                } else {
                    taken = Array(state.pending.sorted().prefix(perRound))
                }
                state.pending.removeAll { taken.contains($0) }
                for position in taken { state.anchored[position] = Self.id(position) }
                state.order += taken
                return AnchorRound(
                    messageIDs: state.anchored.filter { wanted.contains($0.key) }, wasIdle: taken.isEmpty,
                    leftPending: !state.pending.isEmpty, nextPosition: taken.last.map { $0 + 1 })
            }
        }
    }

    @Test("concurrent writers share rounds that never overlap, and each gets its own entries' ids")
    func coalescing() async throws {
        let anchoring = EnvelopeAnchoring()
        let channel = FakeChannel()
        let results = try await withThrowingTaskGroup(of: (Int64, [Digest32]).self) { group in
            for position in Int64(0)..<200 {
                group.addTask {
                    channel.record([position])
                    let ids = try await anchoring.messageIDs(
                        Self.rows([position]), tenant: Self.tenant, channelID: Self.channel
                    ) { _, channels in try await channel.round(channels) }
                    return (position, ids)
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 200)
        for (position, ids) in results { #expect(ids == [FakeChannel.id(position)]) }
        let state = channel.state.withLock { $0 }
        #expect(!state.overlapped)
        #expect(state.pending.isEmpty)
        #expect(state.rounds < 200, "rounds are shared: \(state.rounds) for 200 writers")
        #expect(state.order == state.order.sorted(), "anchored in position order")
    }

    @Test("a writer behind more pending envelopes than one round takes waits for the round that reaches it")
    func longBacklog() async throws {
        let anchoring = EnvelopeAnchoring()
        let channel = FakeChannel(perRound: 10)
        channel.record(Array(0..<35))
        let ids = try await anchoring.messageIDs(Self.rows([34]), tenant: Self.tenant, channelID: Self.channel) {
            _, channels in
            try await channel.round(channels)
        }
        #expect(ids == [FakeChannel.id(34)])
        #expect(channel.state.withLock { $0.rounds } == 4)
    }

    @Test("nobody waiting: a backlog is still anchored to its end")
    func backlogWithoutWaiters() async throws {
        let anchoring = EnvelopeAnchoring()
        let channel = FakeChannel(perRound: 10)
        channel.record(Array(0..<25))
        _ = try await anchoring.messageIDs([], tenant: Self.tenant, channelID: Self.channel) { _, channels in
            try await channel.round(channels)
        }
        // The first round answered; the rest of the backlog follows without anyone waiting.
        for _ in 0..<100 where !channel.state.withLock({ $0.pending.isEmpty }) {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(channel.state.withLock { $0.pending.isEmpty && $0.anchored.count == 25 })
    }

    @Test("a failed round fails its writers with a 503 that says the entry is recorded, and holds new writes briefly")
    func failure() async throws {
        let anchoring = EnvelopeAnchoring()
        let channel = FakeChannel()
        channel.record([0])
        channel.state.withLock { $0.failing = true }
        await #expect(throws: RequestError.self) {
            try await anchoring.messageIDs(Self.rows([0]), tenant: Self.tenant, channelID: Self.channel) {
                _, channels in
                try await channel.round(channels)
            }
        }
        do {
            _ = try await anchoring.messageIDs(Self.rows([0]), tenant: Self.tenant, channelID: Self.channel) {
                _, channels in
                try await channel.round(channels)
            }
            Issue.record("a failing round must fail its writers")
        } catch let error as RequestError {
            #expect(error.kind == .unavailable)
            #expect(error.description.contains("recorded in the channel but not yet on the ledger"))
        }
        // New writes are refused before anything is recorded, until the hold ends.
        await #expect(throws: RequestError.self) {
            try await anchoring.checkReachable(tenant: Self.tenant)
        }
        try await anchoring.checkReachable(tenant: TenantID("other")!)
        // Once the ledger answers again, the envelope left pending is anchored and its writer's retry of the wait
        // gets its id.
        channel.state.withLock { $0.failing = false }
        let ids = try await anchoring.messageIDs(Self.rows([0]), tenant: Self.tenant, channelID: Self.channel) {
            _, channels in
            try await channel.round(channels)
        }
        #expect(ids == [FakeChannel.id(0)])
        try await anchoring.checkReachable(tenant: Self.tenant)
    }

    @Test("an envelope neither pending nor anchored (its tenant was erased) is an error, not a wait forever")
    func vanished() async throws {
        let anchoring = EnvelopeAnchoring()
        let channel = FakeChannel()
        await #expect(throws: RequestError.self) {
            try await anchoring.messageIDs(Self.rows([5]), tenant: Self.tenant, channelID: Self.channel) {
                _, channels in
                try await channel.round(channels)
            }
        }
    }
}
