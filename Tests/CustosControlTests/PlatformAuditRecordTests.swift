import CustosClients
import CustosCore
import CustosCrypto
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
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","index":1,"sequence":1,"v":3}"#,
            // Version 2 without its signature, and version 1 with one.
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","index":1,"sequence":1,"v":2}"#,
            #"{"actor":"adm_1","at":"t","detail":"","event":"e","index":1,"sequence":1,"signer":"AA==","v":1}"#,
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

    static let key = try! PlatformAuditSigningKey(encoded: Base64.encode([UInt8](repeating: 7, count: 32)))

    /// The record's JSON with `change` applied, in canonical form again (what a forger would list).
    static func edited(_ record: PlatformAuditRecord, _ change: (inout [String: JSONValue]) -> Void) throws -> [UInt8] {
        guard case .object(var members) = try JSONParser.parse(try record.data()) else { return [] }
        change(&members)
        return try JCS.canonicalBytes(.object(members))
    }

    @Test("a signed record is version 2, names its signer, reads back and verifies; signing twice gives the same bytes")
    func signedRoundTrip() throws {
        let signed = try Self.record.signed(by: Self.key)
        #expect(signed.isSigned && signed.signer == Self.key.signer)
        let data = try signed.data()
        #expect(String(decoding: data, as: UTF8.self).contains(#""v":2"#))
        #expect(try PlatformAuditRecord(data: data) == signed)
        #expect(try Self.record.signed(by: Self.key).data() == data, "a record attached again repeats its bytes")
        // The signature is Ed25519 over the domain and the JSON without it, checked here with the raw key.
        var unsigned = signed
        unsigned.signature = nil
        let signature = try Base64.decode(try #require(signed.signature))
        #expect(
            Self.key.privateKey.publicKey.isValidSignature(
                signature, for: PlatformAuditRecord.signingDomain + (try unsigned.data())))
        #expect(!Self.key.privateKey.publicKey.isValidSignature(signature, for: try unsigned.data()))
    }

    @Test("a changed member, another signer, a signature of another record or without the domain is refused")
    func signedTampering() throws {
        let signed = try Self.record.signed(by: Self.key)
        let other = PlatformAuditSigningKey()
        var tampered: [[UInt8]] = [
            try Self.edited(signed) { $0["detail"] = .string("edited") },
            try Self.edited(signed) { $0["index"] = .number(41) },
            try Self.edited(signed) { $0["tenant"] = nil },
            try Self.edited(signed) { $0["signer"] = .string(other.signer) },
            try Self.edited(signed) { $0["signature"] = .string(Base64.encode([UInt8](repeating: 0, count: 64))) },
            try Self.edited(signed) { $0["signature"] = .string("not base64!") },
            try Self.edited(signed) { $0["signer"] = .string(Base64.encode([UInt8](repeating: 1, count: 31))) },
        ]
        var another = Self.record
        another.index = 41
        let foreign = try another.signed(by: Self.key).signature
        tampered.append(try Self.edited(signed) { $0["signature"] = foreign.map(JSONValue.string) })
        var unsigned = signed
        unsigned.signature = nil
        let bare = Base64.encode(Self.key.privateKey.signature(for: try unsigned.data()))
        tampered.append(try Self.edited(signed) { $0["signature"] = .string(bare) })
        for data in tampered {
            #expect(throws: PlatformAuditError.self, "\(String(decoding: data, as: UTF8.self))") {
                try PlatformAuditRecord(data: data)
            }
        }
    }

    static func signedEntry(_ index: Int64, by key: PlatformAuditSigningKey?) throws -> PlatformAuditRecord {
        let record = entry(index, leaf: UInt64(index)).record
        return try key.map { try record.signed(by: $0) } ?? record
    }

    @Test("unsigned records only before the first signed one, and every signed one by the chain's key")
    func signers() throws {
        var firstUse = PlatformAuditCheck.Signers(trusted: [])
        #expect(firstUse.add(try Self.signedEntry(1, by: nil)) == nil)
        #expect(firstUse.add(try Self.signedEntry(2, by: Self.key)) == nil)
        #expect(firstUse.current == Self.key.signer && firstUse.unsigned == 1)
        #expect(firstUse.add(try Self.signedEntry(3, by: nil))?.contains("entry 3 is not signed") == true)
        let other = PlatformAuditSigningKey()
        #expect(firstUse.add(try Self.signedEntry(4, by: other))?.contains("not by \(Self.key.signer)") == true)
        #expect(firstUse.add(try Self.signedEntry(5, by: Self.key)) == nil)
        #expect(firstUse.untrusted() == nil && firstUse.chain.map(\.signer) == [Self.key.signer])

        var given = PlatformAuditCheck.Signers(trusted: [Self.key.signer, Self.key.signer])
        #expect(given.add(try Self.signedEntry(1, by: other)) == nil)
        #expect(given.trusted == [Self.key.signer])
        #expect(given.untrusted()?.contains("not by the trusted key \(Self.key.signer)") == true)
    }

    static func rotation(_ index: Int64, from old: PlatformAuditSigningKey, to new: String) throws
        -> PlatformAuditRecord
    {
        try PlatformAuditRecord(
            index: index, sequence: index + 100, at: "t", actor: "control plane",
            event: PlatformAuditRecord.rotationEvent,
            tenant: nil, operation: nil, detail: "", nextSigner: new
        ).signed(by: old)
    }

    @Test("a rotation signed by the current key hands over: the new key signs what follows, the old one nothing more")
    func rotationChain() throws {
        let new = PlatformAuditSigningKey()
        let entries = [
            try Self.signedEntry(1, by: Self.key), try Self.rotation(2, from: Self.key, to: new.signer),
            try Self.signedEntry(3, by: new),
        ]
        for trusted in [[Self.key.signer], [new.signer], [Self.key.signer, new.signer], []] {
            var signers = PlatformAuditCheck.Signers(trusted: trusted)
            for entry in entries { #expect(signers.add(entry) == nil) }
            #expect(signers.untrusted() == nil, "trusting \(trusted)")
            #expect(
                signers.chain == [
                    .init(signer: Self.key.signer, fromIndex: 1), .init(signer: new.signer, fromIndex: 3),
                ])
            #expect(signers.current == new.signer)
            #expect(signers.add(try Self.signedEntry(4, by: Self.key))?.contains("handed over from") == true)
        }
        var elsewhere = PlatformAuditCheck.Signers(trusted: [PlatformAuditSigningKey().signer])
        for entry in entries { #expect(elsewhere.add(entry) == nil) }
        #expect(elsewhere.untrusted() != nil, "a chain without the trusted key fails")

        // A rotation by a key that does not sign the audit at that point is refused, and hands nothing over.
        let intruder = PlatformAuditSigningKey()
        var forged = PlatformAuditCheck.Signers(trusted: [Self.key.signer])
        #expect(forged.add(try Self.signedEntry(1, by: Self.key)) == nil)
        #expect(forged.add(try Self.rotation(2, from: intruder, to: new.signer)) != nil)
        #expect(forged.add(try Self.signedEntry(3, by: new)) != nil && forged.current == Self.key.signer)
    }

    @Test("a rotation record reads back; without its next key, with one elsewhere, to itself or edited, it is refused")
    func rotationRecords() throws {
        let new = PlatformAuditSigningKey()
        let rotation = try Self.rotation(7, from: Self.key, to: new.signer)
        #expect(try PlatformAuditRecord(data: try rotation.data()) == rotation)
        var elsewhere = Self.record
        elsewhere.nextSigner = new.signer
        let refused: [[UInt8]] = [
            try Self.edited(rotation) { $0["nextSigner"] = nil },
            try Self.edited(rotation) { $0["nextSigner"] = .string(PlatformAuditSigningKey().signer) },
            try Self.edited(rotation) { $0["nextSigner"] = .string("AAAA") },
            try Self.edited(rotation) { $0["event"] = .string("tenant.key.rotated") },
            try elsewhere.signed(by: Self.key).data(),
            try Self.rotation(7, from: Self.key, to: Self.key.signer).data(),
        ]
        for data in refused {
            #expect(throws: PlatformAuditError.self, "\(String(decoding: data, as: UTF8.self))") {
                try PlatformAuditRecord(data: data)
            }
        }
        var unsigned = Self.record
        unsigned.nextSigner = new.signer
        #expect(throws: PlatformAuditError.self, "version 1 has no nextSigner") {
            try PlatformAuditRecord(
                data: try Self.edited(try unsigned.signed(by: Self.key)) {
                    $0["v"] = .number(1)
                    $0["signer"] = nil
                    $0["signature"] = nil
                })
        }
    }
}
