import CustosCrypto
import Testing

@Suite("BLAKE2b")
struct BLAKE2bTests {
    @Test("BLAKE2b-512 of the empty string and of \"abc\" (RFC 7693 appendix A)")
    func unkeyedKATs() throws {
        #expect(
            hexString(try BLAKE2b.hash([UInt8](), outputByteCount: 64))
                == "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419"
                + "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce")
        #expect(
            hexString(try BLAKE2b.hash(utf8("abc"), outputByteCount: 64))
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1"
                + "7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923")
    }

    @Test("keyed KATs from blake2b-kat.txt (key 00..3f; inputs empty and 00)")
    func keyedKATs() throws {
        let key = (0..<64).map { UInt8($0) }
        #expect(
            hexString(try BLAKE2b.hash([UInt8](), outputByteCount: 64, key: key))
                == "10ebb67700b1868efb4417987acf4690ae9d972fb7a590c2f02871799aaa4786"
                + "b5e996e8f0f4eb981fc214b005f42d2ff4233499391653df7aefcbc13fc51568")
        #expect(
            hexString(try BLAKE2b.hash([0], outputByteCount: 64, key: key))
                == "961f6dd1e4dd30f63901690c512e78e4b45e4742ed197c3c5e45c549fd25f2e4"
                + "187b0bc9fe30492b16b0d0bc4ef9b0f34c7003fac09a5ef1532e69430234cebd")
    }

    @Test("BLAKE2b-256: hash256, default output size and the Streams tangle-index vector agree")
    func blake2b256() throws {
        let abc = "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"
        #expect(hexString(BLAKE2b.hash256(utf8("abc"))) == abc)
        #expect(hexString(try BLAKE2b.hash(utf8("abc"))) == abc)
        // protocols.md §1.2: BLAKE2b-256(0xAC×40 ‖ 0xAB×12).
        let index = [UInt8](repeating: 0xac, count: 40) + [UInt8](repeating: 0xab, count: 12)
        #expect(
            hexString(BLAKE2b.hash256(index)) == "2cb59b016d8da9b1d146e212be79282c5a6c9f6df1251e00b950f53beb4b8061")
        #expect(BLAKE2b.hash256(index[...]) == BLAKE2b.hash256(index.lazy.map { $0 }))
    }

    @Test("personalization changes the digest and matches hashlib.blake2b(person=…)")
    func personalization() throws {
        let plain = try BLAKE2b.hash(utf8("abc"))
        let short = try BLAKE2b.hash(utf8("abc"), personalization: utf8("IS-PSKID"))
        #expect(hexString(short) == "6d8651e87090265ff360e060e8e241bc034d2badd18209ce4b7bc5395e570c25")
        #expect(short != plain)
        // Short personalization strings are zero-padded to 16 bytes.
        #expect(
            try BLAKE2b.hash(utf8("abc"), personalization: utf8("IS-PSKID") + [UInt8](repeating: 0, count: 8)) == short)
        #expect(
            hexString(try BLAKE2b.hash(utf8("abc"), personalization: utf8("0123456789abcdef")))
                == "139dad3b92ad7c4601ae1ba6c616ca59699c6b1e8e789d095e1bec905871f612")
        // An empty personalization is the same as none.
        #expect(try BLAKE2b.hash(utf8("abc"), personalization: []) == plain)
    }

    @Test("key, personalization and a 16-byte output together match hashlib")
    func keyedPersonalized() throws {
        let digest = try BLAKE2b.hash(
            utf8("hello"), outputByteCount: 16, key: [UInt8](repeating: UInt8(ascii: "k"), count: 32),
            personalization: utf8("IS-PKT-KEY"))
        #expect(hexString(digest) == "f33543c6e4dd690d5124f58f06001c70")
    }

    @Test("incremental hashing equals one-shot for every split point")
    func incremental() throws {
        let message = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let expected = try BLAKE2b.hash(message, key: [1, 2, 3])
        for split in [0, 1, 127, 128, 129, 255, 256, 299, 300] {
            var hasher = try BLAKE2b(key: [1, 2, 3])
            hasher.update(message[..<split])
            hasher.update(message[split...])
            #expect(hasher.finalize() == expected)
        }
    }

    @Test("copies fork the state and finalize leaves the hasher usable")
    func valueSemantics() throws {
        var prefix = try BLAKE2b(outputByteCount: 32)
        prefix.update(utf8("common-prefix|"))
        var left = prefix
        var right = prefix
        left.update(utf8("left"))
        right.update(utf8("right"))
        #expect(left.finalize() == BLAKE2b.hash256(utf8("common-prefix|left")))
        #expect(right.finalize() == BLAKE2b.hash256(utf8("common-prefix|right")))
        #expect(prefix.finalize() == BLAKE2b.hash256(utf8("common-prefix|")))
        #expect(prefix.finalize() == prefix.finalize())
        prefix.update(utf8("more"))
        #expect(prefix.finalize() == BLAKE2b.hash256(utf8("common-prefix|more")))
    }

    @Test("different output sizes are different functions, not truncations")
    func outputSizes() throws {
        let short = try BLAKE2b.hash(utf8("abc"), outputByteCount: 16)
        let long = try BLAKE2b.hash(utf8("abc"), outputByteCount: 64)
        #expect(short.count == 16)
        #expect(long.count == 64)
        #expect(Array(long.prefix(16)) != short)
    }

    @Test("out-of-range parameters throw invalidParameter")
    func invalidParameters() {
        for outputByteCount in [0, 15, 65] {
            #expect(
                throws: CryptoError.invalidParameter("BLAKE2b output must be 16...64 bytes, got \(outputByteCount)")
            ) {
                try BLAKE2b(outputByteCount: outputByteCount)
            }
        }
        #expect(throws: CryptoError.invalidParameter("BLAKE2b key must be at most 64 bytes, got 65")) {
            try BLAKE2b.hash([1], key: [UInt8](repeating: 1, count: 65))
        }
        #expect(throws: CryptoError.invalidParameter("BLAKE2b personalization must be at most 16 bytes, got 17")) {
            try BLAKE2b.hash([1], personalization: [UInt8](repeating: 1, count: 17))
        }
    }
}
