import CustosCore
import Foundation
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test(
        "Valid tenant ids",
        arguments: ["abc", "acme", "acme-corp", "a1b", "a-b", "a1-2b-c3", "x0000", String(repeating: "a", count: 32)])
    func validTenantIDs(text: String) throws {
        let id = try TenantID(validating: text)
        #expect(id.rawValue == text)
        #expect(id.description == text)
        #expect(TenantID(text) == id)
        #expect(TenantID(id.description) == id)
    }

    @Test(
        "Invalid tenant ids",
        arguments: [
            "", "ab", "a1", String(repeating: "a", count: 33), "Acme", "ACME", "1abc", "-abc", "abc-", "a--b", "ab_c",
            "ab c", "abé",
            "ab.c", " abc", "abc\n", "ａbc", "abc/", "a\u{0}c",
        ]
    )
    func invalidTenantIDs(text: String) {
        #expect(throws: IdentifierError.self) { try TenantID(validating: text) }
        #expect(TenantID(text) == nil)
    }

    @Test("Tenant id errors explain the rule")
    func tenantIDMessages() {
        let rule = "tenant id must be 3 to 32 characters of a-z, 0-9 and '-', starting with a letter"
        #expect(throws: IdentifierError(message: rule)) { try TenantID(validating: "Acme") }
        #expect(throws: IdentifierError(message: rule)) { try TenantID(validating: "ab") }
        #expect(throws: IdentifierError(message: rule)) { try TenantID(validating: "9lives") }
        #expect(throws: IdentifierError(message: "tenant id must not end with '-'")) {
            try TenantID(validating: "acme-")
        }
        #expect(throws: IdentifierError(message: "tenant id must not contain '--'")) {
            try TenantID(validating: "ac--me")
        }
        #expect(IdentifierError(message: rule).kind == .invalidInput)
        #expect(IdentifierError(message: rule).description == rule)
    }

    @Test("TenantID is Codable as a plain string and validated on decode")
    func tenantIDCodable() throws {
        let id = try TenantID(validating: "acme-corp")
        let data = try JSONEncoder().encode([id])
        #expect(String(decoding: data, as: UTF8.self) == #"["acme-corp"]"#)
        #expect(try JSONDecoder().decode([TenantID].self, from: data) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TenantID].self, from: Data(#"["Acme"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TenantID].self, from: Data("[42]".utf8)) }
        #expect(Set([id, try TenantID(validating: "acme-corp")]).count == 1)
        #expect(try TenantID(validating: "abc") < TenantID(validating: "abd"))
    }

    // MARK: Digest32

    @Test("Digest32 wraps exactly 32 bytes and shows them as 64 lowercase hex characters")
    func digest() throws {
        let bytes = (0..<32).map { UInt8($0 * 8) }
        let digest = try Digest32(bytes: bytes)
        let hex = "0008101820283038404850586068707880889098a0a8b0b8c0c8d0d8e0e8f0f8"
        #expect(digest.bytes == bytes)
        #expect(digest.hex == hex)
        #expect(digest.description == hex)
        #expect(try Digest32(hex: hex) == digest)
        #expect(try Digest32(hex: hex.uppercased()) == digest)
        #expect(try Digest32(hex: hex.uppercased()).hex == hex)
        #expect(try Digest32(bytes: bytes[...]) == digest)
        #expect(Digest32.zero.hex == String(repeating: "0", count: 64))
    }

    @Test("Digest32 rejects wrong lengths and non-hex text")
    func digestRejections() {
        #expect(throws: IdentifierError(message: "digest must be exactly 32 bytes, got 31")) {
            try Digest32(bytes: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: IdentifierError(message: "digest must be exactly 32 bytes, got 33")) {
            try Digest32(bytes: [UInt8](repeating: 1, count: 33))
        }
        #expect(throws: IdentifierError(message: "digest must be exactly 32 bytes, got 0")) { try Digest32(bytes: []) }
        #expect(throws: IdentifierError(message: "digest must be 64 hex characters, got 63")) {
            try Digest32(hex: String(repeating: "a", count: 63))
        }
        #expect(throws: IdentifierError(message: "digest must be 64 hex characters, got 66")) {
            try Digest32(hex: "0x" + String(repeating: "a", count: 64))
        }
        #expect(
            throws: IdentifierError(
                message: "digest must be 64 hex characters: invalid hex character 'g' at position 63")
        ) {
            try Digest32(hex: String(repeating: "a", count: 63) + "g")
        }
    }

    @Test("Digest32 is Codable as its hex string and ordered by bytes")
    func digestCodableAndOrder() throws {
        let low = try Digest32(bytes: [0x00] + [UInt8](repeating: 0xff, count: 31))
        let high = try Digest32(bytes: [0x01] + [UInt8](repeating: 0x00, count: 31))
        #expect(low < high)
        #expect(!(high < low))
        #expect([high, low, Digest32.zero].sorted() == [Digest32.zero, low, high])
        let data = try JSONEncoder().encode(["id": high])
        #expect(String(decoding: data, as: UTF8.self) == #"{"id":""# + high.hex + #""}"#)
        #expect(try JSONDecoder().decode([String: Digest32].self, from: data) == ["id": high])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Digest32].self, from: Data(#"["abcd"]"#.utf8)) }
        #expect(Set([low, high, low]).count == 2)
    }
}
