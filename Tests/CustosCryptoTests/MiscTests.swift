import CustosCrypto
import Foundation
import Testing

@Suite("SecureRandom, constant-time comparison, errors")
struct MiscTests {
    @Test("random bytes have the requested length and do not repeat")
    func randomBytes() {
        #expect(SecureRandom.bytes(count: 0).isEmpty)
        #expect(SecureRandom.bytes(count: 1000).count == 1000)
        #expect(SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
        #expect(Set(SecureRandom.bytes(count: 4096)).count > 200)
    }

    @Test("uuidV4 is a lowercase RFC 9562 version 4 UUID that Foundation reads back, and does not repeat")
    func uuidV4() throws {
        var seen = Set<String>()
        var versionNibbles = Set<Character>()
        for _ in 0..<2000 {
            let text = SecureRandom.uuidV4()
            let parsed = try #require(UUID(uuidString: text), "\(text) is not a UUID")
            #expect(parsed.uuidString.lowercased() == text)
            #expect(text.count == 36 && text == text.lowercased())
            let characters = Array(text)
            #expect(characters[14] == "4", "version 4: \(text)")
            #expect("89ab".contains(characters[19]), "RFC 9562 variant: \(text)")
            versionNibbles.insert(characters[20])
            seen.insert(text)
        }
        #expect(seen.count == 2000)
        #expect(versionNibbles.count > 8, "the bits after the variant stay random")
    }

    @Test("uniform stays below its bound and reaches every value")
    func uniform() {
        var seen = Set<UInt32>()
        for _ in 0..<2000 {
            let value = SecureRandom.uniform(upperBound: 10)
            #expect(value < 10)
            seen.insert(value)
        }
        #expect(seen.count == 10)
        #expect(SecureRandom.uniform(upperBound: 1) == 0)
        #expect(SecureRandom.uniform(upperBound: 0) == 0)
    }

    @Test("constantTimeEquals compares content and length")
    func constantTime() {
        let a = hex("00112233445566778899aabbccddeeff")
        #expect(constantTimeEquals(a, a))
        #expect(constantTimeEquals(a[...], a.lazy.map { $0 }))
        #expect(!constantTimeEquals(a, flippingBit(a, at: 15)))
        #expect(!constantTimeEquals(a, flippingBit(a, at: 0, bit: 0x80)))
        #expect(!constantTimeEquals(a, a.dropLast()))
        #expect(!constantTimeEquals(a, a + [0]))
        #expect(constantTimeEquals([UInt8](), [UInt8]()))
        #expect(!constantTimeEquals([UInt8](), [0]))
    }

    @Test("error descriptions are informative and fixed")
    func descriptions() {
        #expect(
            CryptoError.authenticationFailed.description
                == "decryption failed: ciphertext, key or associated data do not match")
        #expect(CryptoError.invalidParameter("bad").description == "bad")
        #expect(CryptoError.weakKey.description.contains("X25519"))
        #expect(CryptoError.keyConversionFailed != CryptoError.weakKey)
        #expect(!CryptoError.resourceExhausted.description.isEmpty)
    }
}
