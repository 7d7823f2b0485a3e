import CustosCore
import Testing

@Suite("Strict JSON parser")
struct JSONParserTests {
    private func error(_ input: String, limits: JSONParser.Limits = .default) -> JSONError? {
        do {
            _ = try JSONParser.parse(input, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    private func error(bytes: [UInt8]) -> JSONError? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Accepted input

    @Test("Parses every kind of value, with whitespace around and inside")
    func acceptsValues() throws {
        let value = try JSONParser.parse(
            " \t\r\n{ \"a\" : [ 1 , -2.5e3 , \"x\" , true , false , null , { } , [ ] ] }\n ")
        #expect(value == ["a": [1, -2500, "x", true, false, nil, [:], []]])
        #expect(try JSONParser.parse("0") == 0)
        #expect(try JSONParser.parse("\"\"") == "")
        #expect(try JSONParser.parse("null") == nil)
        #expect(try JSONParser.parse("[[[]]]") == [[[]]])
    }

    @Test("Escapes, including surrogate pairs and \\u0000, decode to the right scalars")
    func escapes() throws {
        let value = try JSONParser.parse(#""\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\ud83d\ude00\uD834\uDD1E\u0000""#)
        #expect(value == .string("\"\\/\u{8}\u{C}\n\r\tAé€😀𝄞\u{0}"))
        #expect(try JSONParser.parse(#""\uDBFF\uDFFF""#) == .string("\u{10FFFF}"))
        #expect(try JSONParser.parse(#""\ud800\udc00""#) == .string("\u{10000}"))
        // Raw UTF-8 of every length passes through.
        #expect(try JSONParser.parse("\"aé€😀\"") == "aé€😀")
    }

    @Test("Numbers: grammar variants and correctly rounded conversion")
    func numbers() throws {
        let cases: [(String, UInt64)] = [
            ("0", 0x0000_0000_0000_0000),
            ("-0", 0x8000_0000_0000_0000),
            ("-0.0e0", 0x8000_0000_0000_0000),
            ("1E+2", 0x4059_0000_0000_0000),
            ("1e-2", 0x3f84_7ae1_47ae_147b),
            ("0.1", 0x3fb9_9999_9999_999a),
            ("0.30000000000000004", 0x3fd3_3333_3333_3334),
            ("2.225073858507201e-308", 0x000f_ffff_ffff_ffff),
            ("2.2250738585072014e-308", 0x0010_0000_0000_0000),
            ("9007199254740996", 0x4340_0000_0000_0002),
            ("1.7976931348623157e308", 0x7fef_ffff_ffff_ffff),
            ("5e-324", 0x0000_0000_0000_0001),
            ("1e+23", 0x44b5_2d02_c7e1_4af6),
            ("0.12345678901234568", 0x3fbf_9add_3746_f65f),
            ("1.0000000000000002", 0x3ff0_0000_0000_0001),
            ("12345678901234567000", 0x43e5_6a95_319d_63e1),
            ("999999999999999", 0x430c_6bf5_2633_fff8),
            ("-999999999999999", 0xc30c_6bf5_2633_fff8),
        ]
        for (text, bits) in cases {
            let value = try JSONParser.parse(text).doubleValue
            #expect(value?.bitPattern == bits, "\(text)")
        }
        // Texts that a double would change are refused rather than rounded (I-JSON; see
        // JSONNumberExactnessTests).
        let inexact = [
            "2.2250738585072011e-308", "2.2250738585072012e-308", "9007199254740993", "9007199254740995",
            "4.9406564584124654e-324", "2.4703282292062327e-324", "2.4703282292062328e-324",
            "100000000000000000000001", "123456789012345678901234567890e-30",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203126", "12345678901234567890", "1e-400",
        ]
        for text in inexact {
            #expect(error(text)?.message.contains("cannot be kept exactly") == true, "\(text)")
        }
    }

    @Test("Accepts any Collection of bytes, contiguous or not")
    func collections() throws {
        let text = #"{"k":[1,"v"]}"#
        let expected: JSONValue = ["k": [1, "v"]]
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
        #expect(try JSONParser.parse(text.utf8) == expected)
        #expect(try JSONParser.parse(AnyCollection(Array(text.utf8))) == expected)
        #expect(try JSONParser.parse(Array("xx\(text)yy".utf8)[2..<(2 + text.utf8.count)]) == expected)
        #expect(try JSONParser.parse(Substring(text).utf8) == expected)
    }

    // MARK: Rejections

    @Test("Duplicate keys are rejected, also when only equal after unescaping")
    func duplicateKeys() {
        #expect(error(#"{"a":1,"a":2}"#) == JSONError(message: #"duplicate key "a""#, offset: 7))
        #expect(error(#"{"a":1,"\u0061":2}"#) == JSONError(message: #"duplicate key "a""#, offset: 7))
        #expect(error(#"{"x":{"a":1,"b":2,"a":3}}"#) == JSONError(message: #"duplicate key "a""#, offset: 18))
        #expect(error(#"{"a\"":1,"a\u0022":2}"#) == JSONError(message: #"duplicate key "a\"""#, offset: 9))
        // Canonically equivalent keys cannot both be kept by a Swift dictionary: refuse them.
        #expect(error(#"{"\u00e9":1,"e\u0301":2}"#)?.message.hasPrefix("duplicate key") == true)
        #expect(error(#"{"a":1,"A":2}"#) == nil)
        #expect(error(#"[{"a":1},{"a":2}]"#) == nil)
        #expect(error(#"{"a":1,"a":2}"#)?.description == #"invalid JSON at byte 7: duplicate key "a""#)
    }

    @Test("Unpaired surrogate escapes are rejected")
    func loneSurrogates() {
        #expect(error(#""\ud800""#) == JSONError(message: #"unpaired surrogate \ud800"#, offset: 1))
        #expect(error(#""\udc00""#) == JSONError(message: #"unpaired surrogate \udc00"#, offset: 1))
        #expect(error(#""x\uDFFFy""#) == JSONError(message: #"unpaired surrogate \udfff"#, offset: 2))
        #expect(error(#""\ud800\u0041""#) == JSONError(message: #"unpaired surrogate \ud800"#, offset: 1))
        #expect(error(#""\ud800\ud800""#) == JSONError(message: #"unpaired surrogate \ud800"#, offset: 1))
        #expect(error(#""\ud800x""#) == JSONError(message: #"unpaired surrogate \ud800"#, offset: 1))
        #expect(error(#""\ud800\n""#) == JSONError(message: #"unpaired surrogate \ud800"#, offset: 1))
        #expect(error(#"{"\udc00":1}"#) == JSONError(message: #"unpaired surrogate \udc00"#, offset: 2))
        #expect(error(#""\udc00\ud800""#) != nil)
    }

    @Test("Invalid UTF-8 is rejected, in strings and outside")
    func invalidUTF8() {
        let quote: UInt8 = 0x22
        let badSequences: [[UInt8]] = [
            [0xFF],  // never valid
            [0x80],  // lone continuation
            [0xC0, 0xAF],  // overlong '/'
            [0xC1, 0xBF],  // overlong
            [0xE0, 0x80, 0xAF],  // overlong 3-byte
            [0xED, 0xA0, 0x80],  // encoded surrogate U+D800
            [0xED, 0xBF, 0xBF],  // encoded surrogate U+DFFF
            [0xF0, 0x80, 0x80, 0xAF],  // overlong 4-byte
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            [0xF5, 0x80, 0x80, 0x80],
            [0xE2, 0x82],  // truncated before the closing quote
            [0xE2, 0x28, 0xA1],  // bad continuation
            [0xC3],
        ]
        for sequence in badSequences {
            let failure = error(bytes: [quote, 0x61] + sequence + [quote])
            #expect(failure?.message.contains("UTF-8") == true, "\(sequence)")
            #expect(failure?.offset == 2, "\(sequence)")
        }
        // Edge cases that are valid.
        let valid: [[UInt8]] = [[0xC2, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF]]
        for sequence in valid {
            #expect(error(bytes: [quote] + sequence + [quote]) == nil, "\(sequence)")
        }
        #expect(
            error(bytes: [0xEF, 0xBB, 0xBF, 0x31])
                == JSONError(message: "unexpected byte 0xef, expected a value", offset: 0))
        #expect(error(bytes: [0x5B, 0xFF, 0x5D])?.offset == 1)
    }

    @Test("Unescaped control characters in strings are rejected")
    func controlCharacters() {
        #expect(error("\"a\tb\"") == JSONError(message: "unescaped control character 0x09 in string", offset: 2))
        #expect(error("\"a\nb\"") == JSONError(message: "unescaped control character 0x0a in string", offset: 2))
        #expect(
            error(bytes: [0x22, 0x00, 0x22])
                == JSONError(message: "unescaped control character 0x00 in string", offset: 1))
        #expect(error("{\"k\u{1F}\":1}")?.offset == 3)
        #expect(error("\"\u{7F}\"") == nil)  // DEL is not a control character for JSON
    }

    @Test("Leading zeros are rejected")
    func leadingZeros() {
        for text in ["01", "-01", "00", "00.5", "[012]", "-00"] {
            #expect(error(text)?.message == "leading zeros are not allowed", "\(text)")
        }
        #expect(error("[1,012]") == JSONError(message: "leading zeros are not allowed", offset: 3))
        #expect(error("0.01") == nil)
        #expect(error("0e5") == nil)
    }

    @Test("Trailing commas are rejected")
    func trailingCommas() {
        #expect(error("[1,]") == JSONError(message: "trailing comma in array", offset: 3))
        #expect(error("[1, \n]") == JSONError(message: "trailing comma in array", offset: 5))
        #expect(error(#"{"a":1,}"#) == JSONError(message: "trailing comma in object", offset: 7))
        #expect(error("[,]") != nil)
        #expect(error("[1,,2]") != nil)
        #expect(error("{,}") != nil)
    }

    @Test("Trailing garbage after the value is rejected")
    func trailingGarbage() {
        #expect(error("1 2") == JSONError(message: "unexpected data after the JSON value", offset: 2))
        #expect(error("{} x") == JSONError(message: "unexpected data after the JSON value", offset: 3))
        #expect(error("[1]]") == JSONError(message: "unexpected data after the JSON value", offset: 3))
        #expect(error("null\u{0}") != nil)
        #expect(error("\"a\"\"b\"") != nil)
        #expect(error("truex") != nil)
    }

    @Test("NaN, Infinity and other non-JSON number forms are rejected")
    func nonJSONNumbers() {
        #expect(error("NaN") == JSONError(message: "unexpected character 'N', expected a value", offset: 0))
        #expect(error("Infinity") == JSONError(message: "unexpected character 'I', expected a value", offset: 0))
        #expect(error("-Infinity") == JSONError(message: "unexpected character 'I', expected a digit", offset: 1))
        #expect(error("[NaN]")?.offset == 1)
        for text in ["nan", "inf", "+1", ".5", "1.", "1.e5", "1e", "1e+", "-", "0x10", "1_000", "- 1", "01.5"] {
            #expect(error(text) != nil, "\(text)")
        }
        #expect(
            error("1.")
                == JSONError(message: "unexpected end of input, expected a digit after the decimal point", offset: 2))
        #expect(
            error("[1e]") == JSONError(message: "unexpected character ']', expected a digit in the exponent", offset: 3)
        )
    }

    @Test("Numbers that overflow a Double are rejected; underflow is refused as inexact")
    func overflow() {
        #expect(error("1e309") == JSONError(message: "number out of range", offset: 0))
        #expect(error("[-1e400]") == JSONError(message: "number out of range", offset: 1))
        #expect(error("1.7976931348623159e308") == JSONError(message: "number out of range", offset: 0))
        #expect(error("1" + String(repeating: "0", count: 400)) == JSONError(message: "number out of range", offset: 0))
        #expect(error("1e99999999999999999999") == JSONError(message: "number out of range", offset: 0))
        #expect(error("1e-99999999999999999999")?.message.contains("cannot be kept exactly") == true)
        #expect(error("0." + String(repeating: "0", count: 400) + "1")?.message.contains("exactly") == true)
        #expect(error("0e-99999999999999999999") == nil)
    }

    @Test("Nesting deeper than maxDepth is rejected without exhausting the stack")
    func depthLimit() {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(error(ok) == nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(error(tooDeep) == JSONError(message: "nesting deeper than 64 levels", offset: 64))
        let objects = String(repeating: #"{"a":"#, count: 65) + "1" + String(repeating: "}", count: 65)
        #expect(error(objects)?.message == "nesting deeper than 64 levels")
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(error(hostile)?.message == "nesting deeper than 64 levels")
        let small = JSONParser.Limits(maxDepth: 2)
        #expect(error("[[1]]", limits: small) == nil)
        #expect(error("[[[1]]]", limits: small) == JSONError(message: "nesting deeper than 2 levels", offset: 2))
        #expect(error(#"[{"a":[]}]"#, limits: small) != nil)
        #expect(error("1", limits: JSONParser.Limits(maxDepth: 0)) == nil)
        #expect(error("[]", limits: JSONParser.Limits(maxDepth: 0)) != nil)
    }

    @Test("Input larger than maxBytes is rejected before parsing")
    func sizeLimit() {
        var limits = JSONParser.Limits.default
        #expect(limits.maxBytes == 1 << 24)
        #expect(limits.maxDepth == 64)
        limits.maxBytes = 4
        #expect(error("[1,2]", limits: limits) == JSONError(message: "input is 5 bytes, more than the limit of 4"))
        #expect(error("[12]", limits: limits) == nil)
        #expect(throws: JSONError.self) { try JSONParser.parse(Array("[1,2]".utf8), limits: limits) }
    }

    @Test("Empty and whitespace-only input is rejected")
    func emptyInput() {
        #expect(error("") == JSONError(message: "empty input", offset: 0))
        #expect(error(" \n\t ") == JSONError(message: "empty input", offset: 4))
        #expect(error(bytes: []) == JSONError(message: "empty input", offset: 0))
        #expect(error("")?.description == "invalid JSON at byte 0: empty input")
    }

    @Test("Other malformed documents get precise errors")
    func malformed() {
        #expect(
            error("[1 2]") == JSONError(message: "unexpected character '2', expected ',' or ']' in array", offset: 3))
        #expect(
            error(#"{"a" 1}"#)
                == JSONError(message: "unexpected character '1', expected ':' after object key", offset: 5))
        #expect(
            error("{1:2}") == JSONError(message: "unexpected character '1', expected a string as object key", offset: 1)
        )
        #expect(
            error(#"{"a":1 "b":2}"#)
                == JSONError(message: #"unexpected character '"', expected ',' or '}' in object"#, offset: 7))
        #expect(error(#""abc"#) == JSONError(message: "unterminated string", offset: 0))
        #expect(error(#"["abc\"#) == JSONError(message: "incomplete escape sequence", offset: 5))
        #expect(error("tru") == JSONError(message: "invalid literal, expected 'true'", offset: 0))
        #expect(error("nul") == JSONError(message: "invalid literal, expected 'null'", offset: 0))
        #expect(error("True") != nil)
        #expect(error("'a'") == JSONError(message: "unexpected character ''', expected a value", offset: 0))
        #expect(error(#""\x""#) == JSONError(message: #"invalid escape sequence '\x'"#, offset: 1))
        #expect(error(#""\u12""#) == JSONError(message: #"invalid \u escape"#, offset: 1))
        #expect(error(#""\u12"#) == JSONError(message: #"incomplete \u escape"#, offset: 1))
        #expect(error(#""\u00g0""#) == JSONError(message: #"invalid \u escape"#, offset: 1))
        #expect(error("[") == JSONError(message: "unexpected end of input, expected a value", offset: 1))
        #expect(error("{") == JSONError(message: "unexpected end of input, expected a string as object key", offset: 1))
        #expect(error(#"{"a":"#) == JSONError(message: "unexpected end of input, expected a value", offset: 5))
        #expect(error("[1") == JSONError(message: "unexpected end of input, expected ',' or ']' in array", offset: 2))
        #expect(error("/* c */ 1") != nil)
        #expect(error("\u{A0}1") != nil)  // no-break space is not JSON whitespace
        #expect(error("\u{C}1") != nil)  // nor is form feed
    }

    @Test("JSONError is an invalid-input CustosError with a readable description")
    func errorShape() {
        let failure = JSONError(message: "duplicate key \"a\"", offset: 17)
        #expect(failure.description == "invalid JSON at byte 17: duplicate key \"a\"")
        #expect(failure.kind == .invalidInput)
        #expect(JSONError(message: "too big").description == "invalid JSON: too big")
        let custos: any CustosError = failure
        #expect(custos.kind == ErrorKind.invalidInput)
        #expect(ErrorKind.invalidInput.rawValue == "invalidInput")
    }
}
