import CustosCore
import CustosLedger
import Testing

@Suite struct EntryBundleTests {
    @Test func bundlesRoundTripAndMatchTheirTile() throws {
        let ids = (0..<300).map { syntheticDigest($0) }
        var log = MerkleLog()
        for id in ids { log.append(messageID: id) }
        let bundle = EntryBundle.encode(messageIDs: Array(ids[256..<300]))
        #expect(bundle.count == 44 * 34)
        #expect(Array(bundle[0..<2]) == [0, 32])
        #expect(try EntryBundle.decode(bundle) == ids[256..<300].map(\.bytes))
        let tile = try log.tile(try TileID(level: 0, index: 1, width: 44))
        try EntryBundle.verify(bundle, against: tile)
        var tampered = bundle
        tampered[40] ^= 1
        #expect(throws: LedgerError.self) { try EntryBundle.verify(tampered, against: tile) }
        #expect(throws: LedgerError.self) { try EntryBundle.verify(Array(bundle.dropLast(34)), against: tile) }
        #expect(throws: LedgerError.self) { try EntryBundle.decode(Array(bundle.dropLast())) }
        #expect(throws: LedgerError.self) { try EntryBundle.decode([0]) }
        #expect(try EntryBundle.decode(try EntryBundle.encode([[], [1, 2]])) == [[], [1, 2]])
        #expect(throws: LedgerError.self) { try EntryBundle.encode([[UInt8](repeating: 0, count: 65_536)]) }
    }
}
