import CustosClients
import CustosCore
import Testing

@Suite("Platform audit records")
struct PlatformAuditRecordTests {
    static let record = PlatformAuditRecord(
        index: 40, sequence: 42, at: "2026-12-01T23:34:10.125Z", actor: "adm_1", event: "tenant.suspend.started",
        tenant: "acme",
        operation: "op_00", detail: "")

    @Test("the data is RFC 8785 JSON of exactly the record's members, read back to the same record")
    func canonicalRoundTrip() throws {
        let data = try Self.record.data()
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"actor":"adm_1","at":"2026-12-01T23:34:10.125Z","detail":"","event":"tenant.suspend.started","#
                + #""index":40,"operation":"op_00","sequence":42,"tenant":"acme","v":1}"#)
        #expect(try PlatformAuditRecord(data: data) == Self.record)
        var platformWide = Self.record
        platformWide.tenant = nil
        platformWide.operation = nil
        #expect(try PlatformAuditRecord(data: try platformWide.data()) == platformWide)
    }

    @Test(
        "anything but the canonical form of a whole record is refused",
        arguments: [
            // Not canonical: member order, whitespace, number spelling.
            #"{"v":1,"actor":"adm_1","at":"t","detail":"","event":"e","index":1,"sequence":1}"#,
            #"{"actor":"adm_1", "at":"t","detail":"","event":"e","index":1,"sequence":1,"v":1}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","index":1,"sequence":1.0,"v":1}"#,
            // A member too many, one missing, a wrong type, a wrong version, a sequence that is no number.
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","index":1,"extra":true,"sequence":1,"v":1}"#,
            #"{"actor":"adm_1","at":"t","event":"e","index":1,"sequence":1,"v":1}"#,
            #"{"actor":7,"at":"t","detail":"","event":"e","index":1,"sequence":1,"v":1}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","index":1,"sequence":1,"v":2}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","index":1,"sequence":0,"v":1}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","index":1,"sequence":1,"tenant":null,"v":1}"#,
            // An index that is no positive integer, or none.
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","index":0,"sequence":1,"v":1}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","sequence":1,"v":1}"#,
            #"["actor"]"#, "not json",
        ])
    func refused(_ text: String) {
        #expect(throws: PlatformAuditError.self) { try PlatformAuditRecord(data: Array(text.utf8)) }
    }

    static func entry(_ index: Int64, leaf: UInt64, _ detail: String = "") -> PlatformAuditCheck.Proven {
        PlatformAuditCheck.Proven(
            record: PlatformAuditRecord(
                index: index, sequence: index + 100, at: "t", actor: "a", event: "e", tenant: nil, operation: nil,
                detail: detail),
            leafIndex: leaf, messageID: "m\(leaf)")
    }

    @Test("leaves must increase and indexes run without a gap; an index seen before must repeat its content exactly")
    func order() {
        var order = PlatformAuditCheck.Order()
        for index in 1...3 { #expect(order.add(Self.entry(Int64(index), leaf: UInt64(index * 2))) == nil) }
        // A restart attaches the last batch again, further on in the log: a repeat, not a failure.
        #expect(order.add(Self.entry(2, leaf: 7)) == nil && order.add(Self.entry(3, leaf: 8)) == nil)
        #expect(order.repeats == 2 && order.top == 3)
        #expect(order.newest?.messageID == "m6", "the newest index's first copy is the one kept")
        #expect(order.add(Self.entry(3, leaf: 9, "edited")) == "index 3 appears again with other content")
        #expect(order.add(Self.entry(6, leaf: 10)) == "entries 4 to 5 are missing")
        #expect(order.add(Self.entry(7, leaf: 10))?.contains("out of the log's order") == true)
        #expect(order.add(Self.entry(4, leaf: 11)) != nil, "an entry out of order is refused")
        #expect(order.count == 9 && order.top == 6)
    }

    @Test("a listing must reach the newest signed checkpoint: confirmed entries left out at the end are held back")
    func heldBack() {
        var order = PlatformAuditCheck.Order()
        #expect(order.heldBack(under: 0) == nil)
        #expect(order.heldBack(under: 1)?.contains("1 confirmed entries are held back") == true)
        for index in 0..<3 { #expect(order.add(Self.entry(Int64(index + 1), leaf: UInt64(index))) == nil) }
        #expect(order.leavesShown == 3)
        #expect(order.heldBack(under: 3) == nil && order.heldBack(under: 2) == nil)
        let short = order.heldBack(under: 5)
        #expect(short?.contains("covers 5 leaves but the listing ends at leaf 3: 2 confirmed entries") == true)
    }
}
