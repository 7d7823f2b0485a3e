import CustosCore
import CustosLedger
import Testing

@Suite struct WhiteFlagTests {
    /// A diamond over the genesis parent G, with ids chosen so that sorted order is known (A < B < C < D < E):
    ///
    ///     G ← A, G ← B;  C → {A, B};  D → {B};  E → {C, D}; the milestone references E and D.
    ///
    /// Walk from the milestone's parents [D, E] in sorted order: D → B (parent G is confirmed) emits B, then D;
    /// E → C → A emits A, C (B is done), then E. Hand-derived order: B, D, A, C, E.
    @Test func diamondOrderDerivedByHand() throws {
        let genesis = digest(String(repeating: "00", count: 32))
        let (a, b, c, d, e) = (id(0xA0), id(0xB0), id(0xC0), id(0xD0), id(0xE0))
        let parents: [Digest32: [Digest32]] = [a: [genesis], b: [genesis], c: [a, b], d: [b], e: [c, d]]
        let order = try WhiteFlag.order(parents: [d, e], parentsByID: parents, confirmed: [genesis])
        #expect(order == [b, d, a, c, e])
        // Listed order matters: starting from E first yields a different, equally valid, order.
        #expect(try WhiteFlag.order(parents: [e], parentsByID: parents, confirmed: [genesis]) == [a, b, c, d, e])
        // Already confirmed messages are neither emitted nor walked through.
        #expect(try WhiteFlag.order(parents: [d, e], parentsByID: parents, confirmed: [genesis, b, d]) == [a, c, e])
        #expect(try WhiteFlag.order(parents: [e], parentsByID: parents, confirmed: [genesis, e]).isEmpty)
    }

    @Test func everyMessageFollowsItsParents() throws {
        var random = SeededGenerator(seed: 99)
        let genesis = Digest32.zero
        var parents: [Digest32: [Digest32]] = [:]
        var all: [Digest32] = [genesis]
        for value in 0..<2000 {
            let id = syntheticDigest(value, salt: "dag")
            let count = Int.random(in: 1...min(8, all.count), using: &random)
            parents[id] = Array(Set((0..<count).map { _ in all.randomElement(using: &random)! })).sorted()
            all.append(id)
        }
        let tips = Array(all.suffix(5)).sorted()
        let order = try WhiteFlag.order(parents: tips, parentsByID: parents, confirmed: [genesis])
        #expect(Set(order).count == order.count)
        var position: [Digest32: Int] = [:]
        for (index, id) in order.enumerated() { position[id] = index }
        for id in order {
            for parent in parents[id]! where parent != genesis {
                #expect(position[parent]! < position[id]!)
            }
        }
        for tip in tips { #expect(position[tip] != nil) }
    }

    /// Cones can be far deeper than any call stack; the walk must be iterative.
    @Test func deepChainDoesNotRecurse() throws {
        let depth = 150_000
        let ids = (0..<depth).map { syntheticDigest($0, salt: "chain") }
        var parents: [Digest32: [Digest32]] = [ids[0]: [Digest32.zero]]
        for index in 1..<depth { parents[ids[index]] = [ids[index - 1]] }
        let order = try WhiteFlag.order(parents: [ids[depth - 1]], parentsByID: parents, confirmed: [Digest32.zero])
        #expect(order == ids)
    }

    @Test func unknownMessagesAreReported() {
        let a = id(0xA0)
        let missing = id(0xFF)
        #expect(throws: LedgerError.self) {
            try WhiteFlag.order(parents: [a], parentsByID: [a: [missing]], confirmed: [])
        }
        #expect(throws: LedgerError.self) { try WhiteFlag.order(parents: [missing], parentsByID: [:], confirmed: []) }
    }

    private func id(_ byte: UInt8) -> Digest32 {
        try! Digest32(bytes: [byte] + [UInt8](repeating: 0, count: 31))
    }
}
