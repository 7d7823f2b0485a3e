import CustosCore
import Foundation
import Testing

@Suite("Hex, Base58 and Base64 codecs")
struct CodecTests {
    private func bytes(_ hex: String) -> [UInt8] {
        try! Hex.decode(hex)
    }

    private func randomBytes(_ generator: inout SplitMix64, maxCount: Int) -> [UInt8] {
        let count = Int(generator.next() % UInt64(maxCount + 1))
        var result = (0..<count).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        // Leading zeros matter for base58.
        if generator.next() % 4 == 0 {
            result.insert(contentsOf: repeatElement(0, count: Int(generator.next() % 4)), at: 0)
        }
        return result
    }

    // MARK: Hex

    @Test("Hex encodes lowercase and decodes either case")
    func hex() throws {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x01, 0xab, 0xff]) == "0001abff")
        #expect(Hex.encode(Data([0xDE, 0xAD])) == "dead")
        #expect(try Hex.decode("0001abff") == [0x00, 0x01, 0xab, 0xff])
        #expect(try Hex.decode("0001ABFF") == [0x00, 0x01, 0xab, 0xff])
        #expect(try Hex.decode("aBcD"[...]) == [0xab, 0xcd])
        #expect(try Hex.decode("") == [])
        var generator = SplitMix64(seed: 16)
        for _ in 0..<200 {
            let data = randomBytes(&generator, maxCount: 40)
            #expect(try Hex.decode(Hex.encode(data)) == data)
            #expect(Hex.encode(data) == data.map { String(format: "%02x", $0) }.joined())
        }
    }

    @Test("Hex rejects odd lengths and non-hex characters")
    func hexRejections() {
        #expect(throws: CodecError(message: "hex string has odd length 3")) { try Hex.decode("abc") }
        #expect(throws: CodecError(message: "invalid hex character 'g' at position 4")) { try Hex.decode("abcdgf") }
        #expect(throws: CodecError(message: "invalid hex character U+0020 at position 2")) { try Hex.decode("ab cd") }
        #expect(throws: CodecError(message: "invalid hex character U+00E9 at position 1")) { try Hex.decode("0é") }
        #expect(throws: CodecError(message: "invalid hex character 'x' at position 1")) { try Hex.decode("0x00") }
        #expect(throws: CodecError.self) { try Hex.decode("ab\n") }
        #expect(CodecError(message: "m").kind == .invalidInput)
        #expect(CodecError(message: "m").description == "m")
    }

    // MARK: Base58

    @Test(
        "Base58 Bitcoin vectors",
        arguments: [
            ("", ""),
            ("00", "1"),
            ("0000000000", "11111"),
            ("48656c6c6f20576f726c6421", "2NEpo7TZRRrLZSi2U"),  // "Hello World!"
            ("0000287fb4cd", "11233QC4"),
            ("61", "2g"),
            ("626262", "a3gV"),
            ("636363", "aPEr"),
            ("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"),
            ("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"),
            ("516b6fcd0f", "ABnLTmg"),
            ("bf4f89001e670274dd", "3SEo3LWLoPntC"),
            ("572e4794", "3EFU7m"),
            ("ecac89cad93923c02321", "EJDM8drfXA6uyA"),
            ("10c8511e", "Rt5zm"),
            ("00000000000000000000", "1111111111"),
            ("ff", "5Q"),
            ("ffffffff", "7YXq9G"),
            (
                "000111d38e5fc9071ffcd20b4a763cc9ae4f252bb4e48fd66a835e252ada93ff480d6dd43dc62a641155a5",
                "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
            ),
            // did:key and Data Integrity values from the W3C/CCG vectors (protocols.md §5.3, §5.6).
            (
                "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29",
                "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS"
            ),
            (
                "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b80351da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808",
                "2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
            ),
        ]
    )
    func base58Vectors(hex: String, encoded: String) throws {
        let data = bytes(hex)
        #expect(Base58.encode(data) == encoded)
        #expect(try Base58.decode(encoded) == data)
    }

    @Test("Base58 matches Python's base58 package on random inputs")
    func base58AgainstPython() throws {
        // Generated with `base58.b58encode` (Python package base58 2.x), random.Random(8785).
        let vectors: [(String, String)] = [
            (
                "000000000009ffd48f6d7fc72f8cf49994546087993c686f751e511f77c88bbc80904b967efa447665e8946588db4404aa00cb1d3566e08d316f19d31b",
                "11111GhxVffxZy3jd8B1i6xk3SddrWBENgY5FGfHaRDU44WyvEoV4y1vKAotAkqEwyjEPQ2RpU5CymHhC"
            ),
            ("00a4", "13q"),
            (
                "84552723e1ed8c5af344b1ec2580d88dc622f5e74452ebd86c9b9d1217d97ff0d73d5097dbceb697",
                "7aNE6N4QxD3WJVdKQqr1vZE8qzdZda5GXVmtsWDSQS1qbq9ErtL55aW"
            ),
            ("6d3dbd0577a579ecf95f400f960632c6811950ff05f2f3b9", "AxccZr2ApcvJxFuRujXVcS5eTEoCahhXW"),
            ("0335232ec27322", "83uLsWcau"),
            ("5db49ce83f39f19b533ef18c76528f71", "Ca8NauxH3KJ1vktcsAkKct"),
            (
                "e1a0d411096000c5385329fd63581609ec6a48bd334b7b5ad2630a00ea01f26df8fbd7c4d2230ffc1920",
                "4mQYUumBNj5YPV6ZBMhZxhskJxzuB74jcxqtiVSpGa5C9ynoAMcTHzFF2o"
            ),
            ("00f9c80cd164e3d1b44baf0bf635435931e9", "13M95sGzwq8GYqLAJXnzXRNVW"),
            ("00c9b40ce6e68381cdd8b8", "1CLG3fvkqa2m7Hq"),
            ("0000000000c37e2dc4", "111115zpy7Z"),
            ("00000000004b39478a63c2858455fa2b5539e4d2cd", "11111AHm2S9Uk8pJnVDHUzuxnw6"),
            ("00001e", "11X"),
            (
                "9eb6afa21012e96a3ef8b4ff13143982e0e533fdf49d9d3dae0cff0977daedf1e40087c9130463d34cf7463d5e6a6f2ab3bbc241e04217",
                "yUtPgctUPjVpyFSdiAbsP8N4EN9XPD69cCV79jUSmQBY3U85Eet2YAvy8d53ZrTsUp8FeF83tAa"
            ),
            ("00535d94fcba13005d09f8cdb31cfad3c8", "1BJ597ZBGz9c4qv3jbb4umh"),
            ("db323dee88e245423bde9efbecb6cb04e4a952fa", "447tcscH3eprFhoL9cqwxcizdaUh"),
            ("e5f0f16a1e55115d201d4bd0b2fb", "2TXz36SS9Nb6uPHNsyBx"),
            ("0000000000315b", "111114kr"),
            ("000000000020", "11111Z"),
            ("00008b26b10bb672c65876c1547f5010d90f", "11JBcXnnUM9cNW6EBizPefjk"),
            ("b90d2254755c99090f", "3Mcmk5iTDSXfL"),
            ("0000000000d84eeb95a163ba7a506ecc43f8f2bca9cfdf4dede29dfd", "111115U8N3uQAb7D6UJoUHEHEPihcLkWCUGex"),
            ("5c1df1fe41cb98e6771f6fb0c1966a3f63e09e610926", "S16FWt4vnCsVZRgQNot8n8JqnXCrPF"),
            ("53760b62d9058237644f0167d4ec0a3c4cc498", "GHCbSPDsq4b15JUK4fJz1WnupB"),
            ("a98a0216680590", "7Rdw5ib5mh"),
            ("ae5cb27a4fff1b03b5a923", "kEmhdZA6fEmPxK4"),
            (
                "466140a5fea5e087ed70d44a247c9002ae8596a37a9c0ad86c03ca36220211ead924",
                "2bHF2yV4DpjteQdN2UNrtdNMGzS7bnB7TmGoLZkVYqTRJRq"
            ),
            (
                "da70ee5347fe80b3c1b07e156b9d51435e96db31cd37c662421f3598c3a3534e321eeeee7645194bd038730e7edd4214ce327142a2",
                "4zS7FFzTheews81dVHhxiFJ1nWRp8njZVn6b3JFCpYDxCgpgqt8NKbaSQe1JGi29E12kcZ2UH"
            ),
        ]
        for (hex, encoded) in vectors {
            #expect(Base58.encode(bytes(hex)) == encoded, "\(hex)")
            #expect(try Base58.decode(encoded) == bytes(hex), "\(encoded)")
        }
    }

    @Test("Base58 round-trips random bytes, including leading zeros and long inputs")
    func base58RoundTrip() throws {
        var generator = SplitMix64(seed: 58)
        for _ in 0..<300 {
            let data = randomBytes(&generator, maxCount: 80)
            #expect(try Base58.decode(Base58.encode(data)) == data)
        }
        let long = (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 1) }
        #expect(try Base58.decode(Base58.encode(long)) == long)
        // Every alphabet character decodes, the whole alphabet round-trips.
        let alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        #expect(Base58.encode(try Base58.decode(alphabet)) == alphabet)
    }

    @Test("Base58 rejects characters outside the Bitcoin alphabet and overlong input")
    func base58Rejections() {
        #expect(throws: CodecError(message: "invalid base58 character '0' at position 3")) { try Base58.decode("abc0") }
        for character in ["0", "O", "I", "l", "+", "/", "=", " ", "\n", "é", "\u{0}"] {
            #expect(throws: CodecError.self, "\(character)") { try Base58.decode("2g" + character) }
        }
        #expect(throws: CodecError(message: "invalid base58 character U+00E9 at position 2")) {
            try Base58.decode("2gé")
        }
        let overlong = String(repeating: "2", count: Base58.maxDecodeLength + 1)
        #expect(throws: CodecError(message: "base58 string longer than 16384 characters")) {
            try Base58.decode(overlong)
        }
        #expect(throws: Never.self) { try Base58.decode(String(repeating: "z", count: Base58.maxDecodeLength)) }
    }

    // MARK: Base64

    @Test(
        "RFC 4648 §10 vectors, base64 and base64url",
        arguments: [
            ("", "", ""),
            ("f", "Zg==", "Zg"),
            ("fo", "Zm8=", "Zm8"),
            ("foo", "Zm9v", "Zm9v"),
            ("foob", "Zm9vYg==", "Zm9vYg"),
            ("fooba", "Zm9vYmE=", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy", "Zm9vYmFy"),
        ]
    )
    func rfc4648(plain: String, base64: String, base64url: String) throws {
        let data = Array(plain.utf8)
        #expect(Base64.encode(data) == base64)
        #expect(try Base64.decode(base64) == data)
        #expect(Base64URL.encode(data) == base64url)
        #expect(try Base64URL.decode(base64url) == data)
    }

    @Test("The two alphabets differ only in '+/' versus '-_'")
    func alphabets() throws {
        let data: [UInt8] = [0xfb, 0xff, 0xbf, 0xfe]
        #expect(Base64.encode(data) == "+/+//g==")
        #expect(Base64URL.encode(data) == "-_-__g")
        #expect(try Base64.decode("+/+//g==") == data)
        #expect(try Base64URL.decode("-_-__g") == data)
        #expect(throws: CodecError.self) { try Base64.decode("-_-__g==") }
        #expect(throws: CodecError.self) { try Base64URL.decode("+/+//g") }
    }

    @Test("Base64 and base64url agree with Foundation on random data")
    func base64AgainstFoundation() throws {
        var generator = SplitMix64(seed: 64)
        for _ in 0..<300 {
            let data = randomBytes(&generator, maxCount: 70)
            let foundation = Data(data).base64EncodedString()
            #expect(Base64.encode(data) == foundation)
            #expect(try Base64.decode(foundation) == data)
            let url = foundation.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(data) == url)
            #expect(try Base64URL.decode(url) == data)
        }
    }

    @Test("Base64 decoding is strict: length, padding, alphabet, canonical trailing bits")
    func base64Rejections() {
        #expect(throws: CodecError(message: "invalid base64 length 2: must be a multiple of 4")) {
            try Base64.decode("Zg")
        }
        #expect(throws: CodecError(message: "invalid base64 length 5: must be a multiple of 4")) {
            try Base64.decode("Zm9vY")
        }
        #expect(throws: CodecError(message: "invalid base64 character '=' at position 1")) { try Base64.decode("Z===") }
        #expect(throws: CodecError(message: "invalid base64 character '=' at position 0")) { try Base64.decode("====") }
        #expect(throws: CodecError(message: "invalid base64 character '=' at position 2")) {
            try Base64.decode("Zg==Zg==")
        }
        #expect(throws: CodecError(message: "invalid base64 character '=' at position 2")) { try Base64.decode("Zm=v") }
        #expect(throws: CodecError(message: "invalid base64 character U+000A at position 4")) {
            try Base64.decode("Zm9v\nZm=")
        }
        #expect(throws: CodecError(message: "invalid base64 character '-' at position 0")) { try Base64.decode("-_8=") }
        #expect(throws: CodecError.self) { try Base64.decode("Zm9v ") }
        #expect(throws: CodecError.self) { try Base64.decode("Zm 9v") }
        #expect(throws: CodecError.self) { try Base64.decode("Zm9é") }
        let nonCanonical = CodecError(
            message: "non-canonical base64: the unused bits of the last character are not zero")
        #expect(throws: nonCanonical) { try Base64.decode("Zh==") }
        #expect(throws: nonCanonical) { try Base64.decode("Zm9=") }
        #expect(throws: Never.self) { try Base64.decode("Zg==") }
    }

    @Test("Base64url decoding is strict: no padding, length, alphabet, canonical trailing bits")
    func base64URLRejections() {
        #expect(throws: CodecError(message: "invalid base64url character '=' at position 2")) {
            try Base64URL.decode("Zg==")
        }
        #expect(throws: CodecError(message: "invalid base64url character '=' at position 3")) {
            try Base64URL.decode("Zm8=")
        }
        #expect(throws: CodecError(message: "invalid base64url length 5")) { try Base64URL.decode("Zm9vY") }
        #expect(throws: CodecError(message: "invalid base64url length 1")) { try Base64URL.decode("Z") }
        #expect(throws: CodecError(message: "invalid base64url character '+' at position 1")) {
            try Base64URL.decode("Z+8")
        }
        #expect(throws: CodecError.self) { try Base64URL.decode("Zm9v\n") }
        let nonCanonical = CodecError(
            message: "non-canonical base64url: the unused bits of the last character are not zero")
        #expect(throws: nonCanonical) { try Base64URL.decode("Zh") }
        #expect(throws: nonCanonical) { try Base64URL.decode("Zm9") }
    }
}
