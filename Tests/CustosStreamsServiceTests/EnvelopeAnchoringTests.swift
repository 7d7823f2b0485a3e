import CustosCore
import CustosServer
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

    /// A channel's pending positions, anchored by rounds that record how they ran.
    final class FakeChannel: Sendable {
        struct State {
            var pending: [Int64] = []
            var anchored: [Int64: Digest32] = [:]
            var rounds = 0
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

        func round(_ wanted: [Int64]) async throws -> AnchorRound {
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
                let taken = Array(state.pending.prefix(perRound))
                state.pending.removeFirst(taken.count)
                for position in taken { state.anchored[position] = Self.id(position) }
                return AnchorRound(
                    messageIDs: state.anchored.filter { wanted.contains($0.key) }, wasIdle: taken.isEmpty,
                    leftPending: !state.pending.isEmpty)
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
                        [position], tenant: Self.tenant, channelID: Self.channel
                    ) { _, _, wanted in try await channel.round(wanted) }
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
    }

    @Test("a writer behind more pending envelopes than one round takes waits for the round that reaches it")
    func longBacklog() async throws {
        let anchoring = EnvelopeAnchoring()
        let channel = FakeChannel(perRound: 10)
        channel.record(Array(0..<35))
        let ids = try await anchoring.messageIDs([34], tenant: Self.tenant, channelID: Self.channel) { _, _, wanted in
            try await channel.round(wanted)
        }
        #expect(ids == [FakeChannel.id(34)])
        #expect(channel.state.withLock { $0.rounds } == 4)
    }

    @Test("nobody waiting: a backlog is still anchored to its end")
    func backlogWithoutWaiters() async throws {
        let anchoring = EnvelopeAnchoring()
        let channel = FakeChannel(perRound: 10)
        channel.record(Array(0..<25))
        _ = try await anchoring.messageIDs([], tenant: Self.tenant, channelID: Self.channel) { _, _, wanted in
            try await channel.round(wanted)
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
            try await anchoring.messageIDs([0], tenant: Self.tenant, channelID: Self.channel) { _, _, wanted in
                try await channel.round(wanted)
            }
        }
        do {
            _ = try await anchoring.messageIDs([0], tenant: Self.tenant, channelID: Self.channel) { _, _, wanted in
                try await channel.round(wanted)
            }
            Issue.record("a failing round must fail its writers")
        } catch let error as RequestError {
            #expect(error.kind == .unavailable)
            #expect(error.description.contains("recorded in the channel but not yet on the ledger"))
        }
        // New writes are refused before anything is recorded, until the hold ends.
        await #expect(throws: RequestError.self) {
            try await anchoring.checkReachable(tenant: Self.tenant, channelID: Self.channel)
        }
        let other = try! Digest32(bytes: [UInt8](repeating: 8, count: 32))
        try await anchoring.checkReachable(tenant: Self.tenant, channelID: other)
        // Once the ledger answers again, the envelope left pending is anchored and its writer's retry of the wait
        // gets its id.
        channel.state.withLock { $0.failing = false }
        let ids = try await anchoring.messageIDs([0], tenant: Self.tenant, channelID: Self.channel) { _, _, wanted in
            try await channel.round(wanted)
        }
        #expect(ids == [FakeChannel.id(0)])
        try await anchoring.checkReachable(tenant: Self.tenant, channelID: Self.channel)
    }

    @Test("an envelope neither pending nor anchored (its tenant was erased) is an error, not a wait forever")
    func vanished() async throws {
        let anchoring = EnvelopeAnchoring()
        let channel = FakeChannel()
        await #expect(throws: RequestError.self) {
            try await anchoring.messageIDs([5], tenant: Self.tenant, channelID: Self.channel) { _, _, wanted in
                try await channel.round(wanted)
            }
        }
    }
}
