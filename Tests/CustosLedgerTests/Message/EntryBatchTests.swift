import CustosCore
import Testing

@testable import CustosLedger

@Suite("Binary entry batches")
struct EntryBatchTests {
    static func entry(_ tag: String, _ data: [UInt8], _ type: String = "application/json") -> LedgerEntry {
        try! LedgerEntry(payload: TaggedData(tag: Array(tag.utf8), data: data), contentType: type)
    }

    static let sample = [
        entry("orders", Array(#"{"a":1}"#.utf8)), entry("", [], "application/octet-stream"),
        entry(String(repeating: "t", count: 64), Array(repeating: 0xFF, count: 30 * 1024), "text/plain; x=é"),
    ]

    @Test("entries survive the round trip exactly, in order, and the layout is the documented one")
    func roundTrip() throws {
        let bytes = EntryBatch.encode(Self.sample)
        #expect(try EntryBatch.decode(bytes) == Self.sample)
        let one = EntryBatch.encode([Self.entry("t", [9], "x")])
        #expect(one == [1, 0, 0, 0, 1, 0x78, 1, 0x74, 1, 0, 0, 0, 9])
    }

    @Test("every truncation, extra byte, bad count, bad tag and bad content type is refused")
    func malformed() throws {
        let bytes = EntryBatch.encode(Self.sample)
        for length in 0..<bytes.count {
            #expect(throws: LedgerError.self, "truncated to \(length)") {
                try EntryBatch.decode(Array(bytes[..<length]))
            }
        }
        #expect(throws: LedgerError("1 bytes after the last entry")) { try EntryBatch.decode(bytes + [0]) }
        #expect(throws: LedgerError("a batch holds 1 to 1000 entries, not 0")) { try EntryBatch.decode([0, 0, 0, 0]) }
        let many = EntryBatch.encode(Array(repeating: Self.entry("t", [1]), count: 1001))
        #expect(throws: LedgerError("a batch holds 1 to 1000 entries, not 1001")) { try EntryBatch.decode(many) }
        let longTag: [UInt8] = [1, 0, 0, 0, 0, 65] + Array(repeating: 0x74, count: 65) + [0, 0, 0, 0]
        #expect(throws: LedgerError("tag is 65 bytes; at most 64 are allowed")) { try EntryBatch.decode(longTag) }
        let badType: [UInt8] = [1, 0, 0, 0, 1, 0xC3, 0, 0, 0, 0, 0]
        #expect(throws: LedgerError("the content type of entry 0 is not UTF-8")) { try EntryBatch.decode(badType) }
        #expect(throws: LedgerError("content type is longer than 255 bytes")) {
            try LedgerEntry(payload: TaggedData(tag: [], data: []), contentType: String(repeating: "x", count: 256))
        }
    }

    @Test("an answer must hold exactly one id per entry")
    func ids() throws {
        let ids = (0..<3).map { try! Digest32(bytes: [UInt8](repeating: UInt8($0), count: 32)) }
        let bytes = EntryBatch.encode(ids: ids)
        #expect(try EntryBatch.decodeIDs(bytes, count: 3) == ids)
        #expect(throws: LedgerError.self) { try EntryBatch.decodeIDs(bytes, count: 2) }
        #expect(throws: LedgerError.self) { try EntryBatch.decodeIDs(Array(bytes.dropLast()), count: 3) }
    }
}
