import CustosCore
import CustosLedger
import Testing

@Suite struct TipSelectorTests {
    @Test func oldestTipsFirst() {
        let genesis = Digest32.zero
        var tips = TipSelector(tips: [genesis])
        #expect(tips.select() == [genesis])
        let ids = (0..<12).map { syntheticDigest($0, salt: "tip") }
        tips.attach(ids[0], parents: [genesis])
        #expect(tips.tips == [ids[0]])
        // Messages that all reference the same parent fan out into many tips.
        for id in ids[1...] { tips.attach(id, parents: [ids[0]]) }
        #expect(tips.count == 11)
        #expect(tips.select() == Array(ids[1...8]))
        #expect(tips.select(max: 3) == Array(ids[1...3]))
        // Referencing the selected tips leaves the rest plus the new message.
        let next = syntheticDigest(100, salt: "tip")
        tips.attach(next, parents: tips.select())
        #expect(tips.tips == Array(ids[9...]) + [next])
        #expect(tips.contains(next))
        #expect(!tips.contains(ids[1]))
        #expect(!tips.isEmpty)
    }

    @Test func memoryTracksLiveTipsAcrossManyMessages() {
        var tips = TipSelector(tips: [Digest32.zero])
        for value in 0..<50_000 {
            let id = syntheticDigest(value, salt: "stream")
            tips.attach(id, parents: tips.select(max: 2))
            if value % 3 == 0 { tips.attach(syntheticDigest(value, salt: "side"), parents: []) }
        }
        #expect(tips.count < 10)
        #expect(tips.select().count == tips.count)
        #expect(tips.tips.count == tips.count)
    }
}
