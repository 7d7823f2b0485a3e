import CustosCore
import CustosIdentity
import Testing

@Suite("RevocationBitmap2022 and the Roaring portable format")
struct RevocationBitmapTests {
    static let vector1 = "data:application/octet-stream;base64,ZUp5ek1tQUFBd0FES0FCcg=="
    static let vector2 = "data:application/octet-stream;base64,ZUp5ek1tQmdZR0lBQVVZZ1pHQ1FBR0laSUdabDZHUGN3UW9BRXVvQjlB"
    static let vector3 =
        "data:application/octet-stream;base64,ZUp6dHhERVJBQ0FNQkxESEFWS1lXZkN2Q3E0MmFESmtyMlNrM0ROckFLQ2RBQUFBQUFBQTMzbGhHZm9q"

    @Test("vector #5a: the empty bitmap")
    func empty() throws {
        let bitmap = try RevocationBitmap2022.decode(dataURL: Self.vector1)
        #expect(bitmap.count == 0)
        #expect(!bitmap.contains(0))
    }

    @Test("vector #5b: {5, 398, 67000} (array containers in two key ranges)")
    func threeValues() throws {
        let bitmap = try RevocationBitmap2022.decode(dataURL: Self.vector2)
        #expect(bitmap.values == [5, 398, 67_000])
        #expect(bitmap.contains(67_000))
        #expect(!bitmap.contains(6))
        #expect(!bitmap.contains(1_464))
    }

    @Test("vector #5c: 0..16383 (a run container)")
    func range() throws {
        let bitmap = try RevocationBitmap2022.decode(dataURL: Self.vector3)
        #expect(bitmap.count == 16_384)
        #expect(bitmap.contains(0) && bitmap.contains(16_383))
        #expect(!bitmap.contains(16_384))
    }

    @Test("portable format: a bitmap container with more than 4096 values")
    func bitmapContainer() throws {
        // cookie 12346, one container (key 0, cardinality 5000), one offset, then 1024 words.
        var bytes: [UInt8] = [0x3A, 0x30, 0, 0, 1, 0, 0, 0, 0, 0]
        let cardinalityMinusOne = UInt16(4999)
        bytes += [UInt8(cardinalityMinusOne & 0xFF), UInt8(cardinalityMinusOne >> 8)]
        bytes += [16, 0, 0, 0]
        var words = [UInt64](repeating: 0, count: 1024)
        for value in 0..<5000 {
            words[value / 64] |= 1 << UInt64(value % 64)
        }
        for word in words {
            for shift in stride(from: 0, to: 64, by: 8) {
                bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        let bitmap = try RoaringBitmap(portableBytes: bytes)
        #expect(bitmap.count == 5000)
        #expect(bitmap.contains(4999) && !bitmap.contains(5000))
    }

    @Test("failure: malformed bitmaps and data URLs name what is wrong")
    func malformed() {
        #expect(throws: IdentityError.self) { try RoaringBitmap(portableBytes: [0x3A, 0x30]) }
        #expect(throws: IdentityError.self) { try RoaringBitmap(portableBytes: [1, 2, 3, 4, 0, 0, 0, 0]) }
        #expect(throws: IdentityError.self) { try RoaringBitmap(portableBytes: [0x3A, 0x30, 0, 0, 0, 0, 0, 0, 9]) }
        #expect(throws: IdentityError.self) { try RevocationBitmap2022.decode(dataURL: "https://example.com/bitmap") }
        #expect(throws: IdentityError.self) {
            try RevocationBitmap2022.decode(dataURL: "data:application/octet-stream;base64,!!!!")
        }
        #expect(throws: IdentityError.self) {
            try RevocationBitmap2022.decode(
                dataURL: "data:application/octet-stream;base64," + Base64.encode(Array("AAAA".utf8)))
        }
    }
}
