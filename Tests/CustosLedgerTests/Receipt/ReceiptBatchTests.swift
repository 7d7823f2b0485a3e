import CustosCore
import Testing

@testable import CustosLedger

@Suite("Binary receipt batches")
struct ReceiptBatchTests {
    static let ids = (0..<3).map { try! Digest32(bytes: [UInt8](repeating: UInt8($0), count: 32)) }

    @Test("a request is whole ids, 1 to 64 of them")
    func requests() throws {
        #expect(try ReceiptBatch.decodeIDs(ReceiptBatch.encode(ids: Self.ids)) == Self.ids)
        #expect(throws: LedgerError("a receipt batch asks for 1 to 64 receipts, not 0")) {
            try ReceiptBatch.decodeIDs([])
        }
        let many = ReceiptBatch.encode(ids: Array(repeating: Self.ids[0], count: 65))
        #expect(throws: LedgerError("a receipt batch asks for 1 to 64 receipts, not 65")) {
            try ReceiptBatch.decodeIDs(many)
        }
        #expect(throws: LedgerError("a receipt batch is whole 32-byte message ids; 95 bytes is not")) {
            try ReceiptBatch.decodeIDs(Array(ReceiptBatch.encode(ids: Self.ids).dropLast()))
        }
    }

    @Test("outcomes survive the round trip exactly, in order, and the layout is the documented one")
    func roundTrip() throws {
        let outcomes: [ReceiptBatch.Outcome] = [
            .receipt(Array(#"{"version":1}"#.utf8)), .refused(status: 404, message: "no message é"),
            .receipt([]), .refused(status: 409, message: ""),
        ]
        let bytes = ReceiptBatch.encode(outcomes: outcomes)
        #expect(try ReceiptBatch.decodeOutcomes(bytes, count: 4) == outcomes)
        #expect(ReceiptBatch.encode(outcomes: [.receipt([7])]) == [200, 0, 1, 0, 0, 0, 7])
        #expect(ReceiptBatch.encode(outcomes: [.refused(status: 404, message: "x")]) == [0x94, 1, 1, 0, 0, 0, 0x78])
    }

    @Test("every truncation, extra byte, count mismatch, odd status and non-UTF-8 message is refused")
    func malformed() throws {
        let bytes = ReceiptBatch.encode(outcomes: [.receipt([1, 2, 3]), .refused(status: 400, message: "bad")])
        for length in 0..<bytes.count {
            #expect(throws: LedgerError.self, "truncated to \(length)") {
                try ReceiptBatch.decodeOutcomes(Array(bytes[..<length]), count: 2)
            }
        }
        #expect(throws: LedgerError("1 bytes after the last result")) {
            try ReceiptBatch.decodeOutcomes(bytes + [0], count: 2)
        }
        #expect(throws: LedgerError.self) { try ReceiptBatch.decodeOutcomes(bytes, count: 3) }
        #expect(throws: LedgerError("result 0 has status 302, neither 200 nor an error")) {
            try ReceiptBatch.decodeOutcomes([0x2E, 1, 0, 0, 0, 0], count: 1)
        }
        #expect(throws: LedgerError("the message of result 0 is not UTF-8")) {
            try ReceiptBatch.decodeOutcomes([0x94, 1, 1, 0, 0, 0, 0xC3], count: 1)
        }
    }
}
