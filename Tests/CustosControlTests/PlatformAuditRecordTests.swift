import CustosClients
import CustosCore
import Testing

@Suite("Platform audit records")
struct PlatformAuditRecordTests {
    static let record = PlatformAuditRecord(
        sequence: 42, at: "2026-12-01T23:34:10.125Z", actor: "adm_1", event: "tenant.suspend.started", tenant: "acme",
        operation: "op_00", detail: "")

    @Test("the data is RFC 8785 JSON of exactly the record's members, read back to the same record")
    func canonicalRoundTrip() throws {
        let data = try Self.record.data()
        #expect(
            String(decoding: data, as: UTF8.self)
                == #"{"actor":"adm_1","at":"2026-12-01T23:34:10.125Z","detail":"","event":"tenant.suspend.started","#
                + #""operation":"op_00","sequence":42,"tenant":"acme","v":1}"#)
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
            #"{"v":1,"actor":"adm_1","at":"t","detail":"","event":"e","sequence":1}"#,
            #"{"actor":"adm_1", "at":"t","detail":"","event":"e","sequence":1,"v":1}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","sequence":1.0,"v":1}"#,
            // A member too many, one missing, a wrong type, a wrong version, a sequence that is no number.
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","extra":true,"sequence":1,"v":1}"#,
            #"{"actor":"adm_1","at":"t","event":"e","sequence":1,"v":1}"#,
            #"{"actor":7,"at":"t","detail":"","event":"e","sequence":1,"v":1}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","sequence":1,"v":2}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","sequence":0,"v":1}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","sequence":1,"tenant":null,"v":1}"#,
            #"["actor"]"#, "not json",
        ])
    func refused(_ text: String) {
        #expect(throws: PlatformAuditError.self) { try PlatformAuditRecord(data: Array(text.utf8)) }
    }
}
