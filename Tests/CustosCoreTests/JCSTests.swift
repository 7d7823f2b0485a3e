import CustosCore
import Testing

@Suite("RFC 8785 canonical JSON")
struct JCSTests {
    // MARK: RFC 8785 examples

    @Test("RFC 8785 §3.2.2/3.2.3 sample, parsed then canonicalised, byte for byte")
    func rfcSample() throws {
        let input =
            #"{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"#
            + #""string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}"#
        let expected =
            #"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"#
            + #""string":"€$\u000f\nA'B\"\\\\\"/"}"#
        // The strict parser refuses 333333333.33333329 (I-JSON: the double is written as 333333333.3333333).
        #expect(throws: JSONError.self) { try JSONParser.parse(input) }
        #expect(try JCS.formatNumber(333_333_333.333_333_29) == "333333333.3333333")
        let value = try JSONParser.parse(input.replacing("333333333.33333329", with: "333333333.3333333"))
        #expect(try JCS.canonicalBytes(value) == Array(expected.utf8))
        #expect(try JCS.canonicalString(value) == expected)
        #expect(try value.canonicalBytes() == Array(expected.utf8))
    }

    @Test("RFC 8785 §3.2.3 key sort by UTF-16 code units")
    func rfcSortExample() throws {
        let input = #"""
            {
               "\u20ac": "Euro Sign",
               "\r": "Carriage Return",
               "\ufb33": "Hebrew Letter Dalet With Dagesh",
               "1": "One",
               "\ud83d\ude00": "Emoji: Grinning Face",
               "\u0080": "Control",
               "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """#
        let expected =
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\","
            + "\"\u{F6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20AC}\":\"Euro Sign\","
            + "\"\u{1F600}\":\"Emoji: Grinning Face\",\"\u{FB33}\":\"Hebrew Letter Dalet With Dagesh\"}"
        let canonical = try JCS.canonicalString(try JSONParser.parse(input))
        #expect(canonical == expected)
        // Swift's String `<` would put U+FB33 before U+20AC; make sure we did not use it.
        #expect(!JCS.utf16Precedes("\u{FB33}", "\u{20AC}"))
        #expect(JCS.utf16Precedes("\u{1F600}", "\u{FB33}"))
    }

    @Test("W3C eddsa-jcs-2022 test vector: canonical document and proof configuration")
    func w3cDataIntegrityVector() throws {
        let document = """
            {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
             "id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","type":["VerifiableCredential","AlumniCredential"],
             "name":"Alumni Credential","description":"A minimum viable example of an Alumni Credential.",
             "issuer":"https://vc.example/issuers/5678","validFrom":"2023-01-01T00:00:00Z",
             "credentialSubject":{"id":"did:example:abcdefgh","alumniOf":"The School of Examples"}}
            """
        let canonicalDocument =
            #"{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"#
            + #""credentialSubject":{"alumniOf":"The School of Examples","id":"did:example:abcdefgh"},"#
            + #""description":"A minimum viable example of an Alumni Credential.","#
            + #""id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","issuer":"https://vc.example/issuers/5678","#
            + #""name":"Alumni Credential","type":["VerifiableCredential","AlumniCredential"],"#
            + #""validFrom":"2023-01-01T00:00:00Z"}"#
        #expect(try JCS.canonicalString(try JSONParser.parse(document)) == canonicalDocument)

        let key = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        let proofConfig: JSONValue = [
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-jcs-2022",
            "created": "2023-02-24T23:36:38Z",
            "verificationMethod": .string(key + "#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"),
            "proofPurpose": "assertionMethod",
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        ]
        let canonicalProofConfig =
            #"{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"#
            + #""created":"2023-02-24T23:36:38Z","cryptosuite":"eddsa-jcs-2022","proofPurpose":"assertionMethod","#
            + #""type":"DataIntegrityProof","verificationMethod":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"#
            + #"#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}"#
        #expect(try JCS.canonicalString(proofConfig) == canonicalProofConfig)
    }

    // MARK: Structure and escaping

    @Test("Nested objects are sorted recursively, arrays keep their order, no whitespace")
    func structure() throws {
        let value: JSONValue = [
            "b": [3, 1, 2, ["z": true, "a": nil]],
            "a": ["y": [:], "x": []],
            "": "empty key",
        ]
        #expect(
            try JCS.canonicalString(value)
                == #"{"":"empty key","a":{"x":[],"y":{}},"b":[3,1,2,{"a":null,"z":true}]}"#
        )
        #expect(try JCS.canonicalString(.null) == "null")
        #expect(try JCS.canonicalString(true) == "true")
        #expect(try JCS.canonicalString(false) == "false")
        #expect(try JCS.canonicalString([]) == "[]")
        #expect(try JCS.canonicalString([:]) == "{}")
    }

    @Test("Every control character is escaped, short forms where they exist, lowercase hex")
    func controlCharacterEscapes() throws {
        for byte in UInt8(0)..<0x20 {
            let string = String(Character(Unicode.Scalar(byte)))
            let expected: String
            switch byte {
            case 0x08: expected = #""\b""#
            case 0x09: expected = #""\t""#
            case 0x0A: expected = #""\n""#
            case 0x0C: expected = #""\f""#
            case 0x0D: expected = #""\r""#
            default:
                let hex = String(byte, radix: 16)
                expected = "\"\\u00" + (hex.count == 1 ? "0" + hex : hex) + "\""
            }
            #expect(try JCS.canonicalString(.string(string)) == expected, "byte \(byte)")
        }
        #expect(try JCS.canonicalString("\u{1F}") == #""\u001f""#)
    }

    @Test("Only quote, backslash and controls are escaped; '/', DEL and non-ASCII are literal")
    func literalCharacters() throws {
        let value: JSONValue = .string("a/b\"c\\d\u{7F}\u{80}é€😀\u{2028}<>&'")
        #expect(try JCS.canonicalString(value) == "\"a/b\\\"c\\\\d\u{7F}\u{80}é€😀\u{2028}<>&'\"")
        let key: JSONValue = ["k\"\n/": 1]
        #expect(try JCS.canonicalString(key) == #"{"k\"\n/":1}"#)
    }

    @Test("Escaped strings round-trip: parse(canonical(x)) == x, canonical is a fixed point")
    func escapeRoundTrip() throws {
        let strings = [
            "", "plain", "\u{0}", "\u{0}\u{1}\u{1F}\u{20}", "tab\there", "quote\"back\\slash/", "😀🇨🇭",
            "\u{FFFF}\u{10FFFF}",
            "e\u{301}", "\r\n",
        ]
        for string in strings {
            let canonical = try JCS.canonicalBytes(.string(string))
            let parsed = try JSONParser.parse(canonical)
            #expect(parsed.stringValue.map { Array($0.unicodeScalars) } == Array(string.unicodeScalars))
            #expect(try JCS.canonicalBytes(parsed) == canonical)
        }
    }

    @Test("Key order by UTF-16 code units matches a reference comparison on random strings")
    func utf16OrderProperty() {
        // Characters chosen around the places where UTF-8 and UTF-16 orders differ.
        let pool: [Unicode.Scalar] = [
            "a", "b", "Z", "\u{0}", "\u{7F}", "\u{80}", "\u{7FF}", "\u{800}", "\u{D7FF}", "\u{E000}", "\u{F8FF}",
            "\u{FB33}", "\u{FFFD}", "\u{FFFF}", "\u{10000}", "\u{1F600}", "\u{10FFFF}", "é", "€",
        ]
        var generator = SplitMix64(seed: 42)
        func randomString() -> String {
            var string = ""
            for _ in 0..<Int(generator.next() % 4) {
                string.unicodeScalars.append(pool[Int(generator.next() % UInt64(pool.count))])
            }
            return string
        }
        for _ in 0..<3000 {
            let lhs = randomString()
            let rhs = randomString()
            let reference = Array(lhs.utf16).lexicographicallyPrecedes(Array(rhs.utf16))
            #expect(
                JCS.utf16Precedes(lhs, rhs) == reference, "\(Array(lhs.unicodeScalars)) vs \(Array(rhs.unicodeScalars))"
            )
        }
    }

    @Test("Objects with many keys sort like Array(key.utf16)")
    func manyKeys() throws {
        var generator = SplitMix64(seed: 7)
        var members: [String: JSONValue] = [:]
        let pool: [Unicode.Scalar] = ["a", "b", "\u{E9}", "\u{20AC}", "\u{FB33}", "\u{1F600}", "\u{10000}", "0"]
        while members.count < 200 {
            var key = ""
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                key.unicodeScalars.append(pool[Int(generator.next() % UInt64(pool.count))])
            }
            members[key] = .number(Double(members.count))
        }
        let expectedOrder = members.keys.sorted { Array($0.utf16).lexicographicallyPrecedes(Array($1.utf16)) }
        let reparsed = try JSONParser.parse(try JCS.canonicalBytes(.object(members)))
        #expect(reparsed == .object(members))
        var expected = "{"
        for (index, key) in expectedOrder.enumerated() {
            expected += (index > 0 ? "," : "") + (try JCS.canonicalString(.string(key))) + ":"
            expected += try JCS.formatNumber(members[key]!.doubleValue!)
        }
        expected += "}"
        #expect(try JCS.canonicalString(.object(members)) == expected)
    }

    // MARK: Numbers

    @Test(
        "RFC 8785 Appendix B number table",
        arguments: [
            (0x0000_0000_0000_0000, "0"),
            (0x8000_0000_0000_0000, "0"),
            (0x0000_0000_0000_0001, "5e-324"),
            (0x8000_0000_0000_0001, "-5e-324"),
            (0x7fef_ffff_ffff_ffff, "1.7976931348623157e+308"),
            (0xffef_ffff_ffff_ffff, "-1.7976931348623157e+308"),
            (0x4340_0000_0000_0000, "9007199254740992"),
            (0xc340_0000_0000_0000, "-9007199254740992"),
            (0x4430_0000_0000_0000, "295147905179352830000"),
            (0x44b5_2d02_c7e1_4af5, "9.999999999999997e+22"),
            (0x44b5_2d02_c7e1_4af6, "1e+23"),
            (0x44b5_2d02_c7e1_4af7, "1.0000000000000001e+23"),
            (0x444b_1ae4_d6e2_ef4e, "999999999999999700000"),
            (0x444b_1ae4_d6e2_ef4f, "999999999999999900000"),
            (0x444b_1ae4_d6e2_ef50, "1e+21"),
            (0x3eb0_c6f7_a0b5_ed8c, "9.999999999999997e-7"),
            (0x3eb0_c6f7_a0b5_ed8d, "0.000001"),
            (0x41b3_de43_5555_5553, "333333333.3333332"),
            (0x41b3_de43_5555_5554, "333333333.33333325"),
            (0x41b3_de43_5555_5555, "333333333.3333333"),
            (0x41b3_de43_5555_5556, "333333333.3333334"),
            (0x41b3_de43_5555_5557, "333333333.33333343"),
            (0xbecb_f647_612f_3696, "-0.0000033333333333333333"),
            (0x4314_3ff3_c1cb_0959, "1424953923781206.2"),
        ] as [(UInt64, String)]
    )
    func appendixB(bits: UInt64, expected: String) throws {
        let value = Double(bitPattern: bits)
        #expect(try JCS.formatNumber(value) == expected)
        #expect(try JCS.canonicalString(.number(value)) == expected)
        #expect(try JCS.canonicalString([.number(value)]) == "[\(expected)]")
    }

    @Test("NaN and ±Infinity cannot be canonicalised, also when nested")
    func nonFinite() {
        for value in [Double.nan, .infinity, -.infinity, Double(bitPattern: 0x7fff_ffff_ffff_ffff), .signalingNaN] {
            #expect(throws: JSONError.self) { try JCS.formatNumber(value) }
            #expect(throws: JSONError.self) { try JCS.canonicalBytes(.number(value)) }
            #expect(throws: JSONError.self) { try JCS.canonicalBytes(["a": [1, .number(value)]]) }
        }
        #expect(throws: JSONError(message: "cannot canonicalize the non-finite number inf")) {
            try JCS.formatNumber(.infinity)
        }
        #expect(JSONError(message: "x").kind == .invalidInput)
    }

    @Test("ECMAScript formatting boundaries that Double.description gets wrong")
    func formattingBoundaries() throws {
        let cases: [(Double, String)] = [
            (4, "4"), (-4, "-4"), (4.5, "4.5"), (0.5, "0.5"), (-0.0, "0"), (1e15, "1000000000000000"),
            (1e16, "10000000000000000"), (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e21, "1.5e+21"),
            (123e18, "123000000000000000000"), (0.0001, "0.0001"), (0.00001, "0.00001"), (0.000001, "0.000001"),
            (0.0000001, "1e-7"), (5e-7, "5e-7"), (1.5e-7, "1.5e-7"), (1e-10, "1e-10"), (1e100, "1e+100"),
            (2.5e-300, "2.5e-300"), (Double(9_007_199_254_740_993 as Int), "9007199254740992"),
            (9_007_199_254_740_994, "9007199254740994"),
            (Double(18_014_398_509_481_985 as Int), "18014398509481984"),
            (1_152_921_504_606_846_976, "1152921504606847000"),
            (-1_152_921_504_606_846_976, "-1152921504606847000"), (0.1, "0.1"), (0.1 + 0.2, "0.30000000000000004"),
            (123456.789, "123456.789"), (Double.leastNormalMagnitude, "2.2250738585072014e-308"),
            (Double(Int64.max), "9223372036854776000"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        ]
        for (value, expected) in cases {
            #expect(try JCS.formatNumber(value) == expected, "\(value)")
        }
    }

    @Test("2,000 random doubles match node's String(x); their text parses back to the same bits")
    func randomDoublesAgainstNode() throws {
        var checked = 0
        for line in ecmaScriptNumberFixture.split(separator: "\n") {
            let parts = line.split(separator: " ")
            try #require(parts.count == 2)
            let bits = try #require(UInt64(parts[0], radix: 16))
            let expected = String(parts[1])
            let value = Double(bitPattern: bits)
            #expect(try JCS.formatNumber(value) == expected, "bits \(parts[0])")
            let reparsed = try JSONParser.parse(expected).doubleValue
            #expect(reparsed.map { $0 == value || (value == 0 && $0 == 0) } == true, "bits \(parts[0])")
            checked += 1
        }
        #expect(checked == 2000)
    }

    @Test("write(into:) appends to an existing buffer")
    func writeInto() throws {
        var buffer = Array("prefix:".utf8)
        try JCS.write(["b": 1, "a": "x"], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:{"a":"x","b":1}"#)
    }
}

/// A small deterministic generator for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
