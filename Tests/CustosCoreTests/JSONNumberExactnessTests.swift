import CustosCore
import Testing

/// I-JSON (RFC 7493 §2.2): a number is accepted only if the decimal the RFC 8785 encoder writes for the
/// parsed double has exactly the value of the text that was sent.
@Suite("JSON numbers a double cannot hold exactly are refused")
struct JSONNumberExactnessTests {
    private func error(_ input: String) -> JSONError? {
        do {
            _ = try JSONParser.parse(input)
            return nil
        } catch {
            return error
        }
    }

    private func inexact(_ shown: String, written: String, offset: Int) -> JSONError {
        JSONError(
            message: "number \(shown) cannot be kept exactly: as an IEEE-754 double it is written \(written) "
                + "(I-JSON, RFC 7493 §2.2); send it as a string",
            offset: offset
        )
    }

    // MARK: Accepted

    @Test("Texts whose decimal value is the double's shortest form are accepted with that double")
    func accepted() throws {
        let cases: [(String, Double)] = [
            ("0.1", 0.1),
            ("1.0", 1),
            ("1e2", 100),
            ("1E+2", 100),
            ("1e+02", 100),
            ("100", 100),
            ("12.340e1", 123.4),
            ("123400e-3", 123.4),
            ("-0", -0.0),
            ("-0.0e-5", -0.0),
            ("0.000", 0),
            ("0e999999", 0),
            ("0e-999999999999999999999999", 0),
            ("-0E+99999999999999999999999", -0.0),
            ("5e-324", .leastNonzeroMagnitude),
            ("-5e-324", -.leastNonzeroMagnitude),
            ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("-1.7976931348623157E+308", -.greatestFiniteMagnitude),
            ("0.30000000000000004", 0.1 + 0.2),
            ("2.225073858507201e-308", Double(bitPattern: 0x000f_ffff_ffff_ffff)),
            ("2.2250738585072014e-308", .leastNormalMagnitude),
            ("9007199254740992", 9_007_199_254_740_992),
            ("-9007199254740992", -9_007_199_254_740_992),
            ("1234567890123456", 1_234_567_890_123_456),
            ("999999999999999", 999_999_999_999_999),
            ("123456789012345680", 123_456_789_012_345_680),
            ("1.2345678901234568e+17", 123_456_789_012_345_680),
            ("12345678901234568000000", 1.234_567_890_123_456_8e22),
            ("1e21", 1e21),
            ("1e+23", 1e23),
            ("100000000000000000000000", 1e23),
            ("0.000001", 0.000001),
            ("1e-7", 1e-7),
            ("-1.5", -1.5),
            ("4.50", 4.5),
            ("333333333.3333333", 333_333_333.333_333_3),
            ("0.0000000000000000000000000010", 1e-27),
            ("18446744073709552000", 18_446_744_073_709_551_616),
        ]
        for (text, expected) in cases {
            let value = try JSONParser.parse(text).doubleValue
            #expect(value?.bitPattern == expected.bitPattern, "\(text)")
        }
    }

    @Test("Exact numbers inside arrays and objects are accepted")
    func acceptedInContainers() throws {
        let value = try JSONParser.parse(#"{"a":[0.1,-0,1e2,{"b":5e-324}],"c":1.7976931348623157e308}"#)
        #expect(
            value == [
                "a": [0.1, 0, 100, ["b": .number(.leastNonzeroMagnitude)]], "c": .number(.greatestFiniteMagnitude),
            ])
        #expect(try JCS.canonicalString(value) == #"{"a":[0.1,0,100,{"b":5e-324}],"c":1.7976931348623157e+308}"#)
    }

    // MARK: Rejected

    @Test("Texts that a double would change are rejected with a message naming the fix")
    func rejected() {
        let texts = [
            "9007199254740993",
            "-9007199254740993",
            "9007199254740993.0",
            "90071992547409930e-1",
            "123456789012345678",
            "12345678901234567",
            "1e-400",
            "-1e-400",
            "1e-99999999999999999999",
            "0.1000000000000000055511151231257827",
            "0.10000000000000001",
            "0.1000000000000000000000000000001",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "3e-324",
            "1.00000000000000011102230246251565404236316680908203125",
            "100000000000000000000001",
            "12345678901234567890",
            "333333333.33333329",
            "1.7976931348623157000000000000000001e308",
            // 2^64 is a double, but it is written as 18446744073709552000: a different decimal.
            "18446744073709551616",
        ]
        for text in texts {
            let failure = error(text)
            #expect(failure?.offset == 0, "\(text)")
            #expect(
                failure?.message.contains("cannot be kept exactly: as an IEEE-754 double it is written") == true,
                "\(text)")
            #expect(failure?.message.hasSuffix("; send it as a string") == true, "\(text)")
        }
        #expect(error("9007199254740993") == inexact("9007199254740993", written: "9007199254740992", offset: 0))
        #expect(
            error("9007199254740993")?.description
                == "invalid JSON at byte 0: number 9007199254740993 cannot be kept exactly: as an IEEE-754 double it "
                + "is written 9007199254740992 (I-JSON, RFC 7493 §2.2); send it as a string")
        // A double, but not one written with all its digits.
        #expect(
            error("31938142346170867908608")
                == inexact("31938142346170867908608", written: "3.193814234617087e+22", offset: 0))
    }

    @Test("Out-of-range numbers keep their own error")
    func outOfRange() {
        #expect(error("1e400") == JSONError(message: "number out of range", offset: 0))
        #expect(error("[0,-1e400]") == JSONError(message: "number out of range", offset: 3))
        #expect(error("1.7976931348623159e308") == JSONError(message: "number out of range", offset: 0))
    }

    @Test("The offset points at the number, also inside arrays and objects")
    func offsets() {
        #expect(error("[1, 9007199254740993]") == inexact("9007199254740993", written: "9007199254740992", offset: 4))
        #expect(error(#"{"a":{"b":[0.1,1e-400]}}"#) == inexact("1e-400", written: "0", offset: 15))
        #expect(
            error(#"{"tag":"n","data":9007199254740993}"#)
                == inexact("9007199254740993", written: "9007199254740992", offset: 18))
        #expect(
            error(" \n-123456789012345678") == inexact("-123456789012345678", written: "-123456789012345680", offset: 2)
        )
        // The first inexact number is reported.
        #expect(error("[0.5, 1e-400, 9007199254740993]")?.offset == 6)
    }

    @Test("A long number is echoed truncated to 40 characters")
    func truncatedEcho() {
        let text = "1." + String(repeating: "0", count: 100) + "1"
        let shown = "1." + String(repeating: "0", count: 38) + "…"
        #expect(error("[" + text + "]") == inexact(shown, written: "1", offset: 1))
        let forty = "0.1000000000000000000000000000000000001"
        #expect(forty.utf8.count == 39)
        #expect(error(forty) == inexact(forty, written: "0.1", offset: 0))
        let tiny = "0." + String(repeating: "0", count: 400) + "1"
        #expect(error(tiny)?.message.hasPrefix("number 0.00000000000000000000000000000000000000…") == true)
        let many = "0." + String(repeating: "3", count: 100_000)
        #expect(error(many)?.message.contains("cannot be kept exactly") == true)
    }

    // MARK: Properties

    @Test("Random doubles: their canonical text parses back, accepted, to the same double")
    func canonicalTextRoundTrips() throws {
        var generator = SplitMix64(seed: 7_493)
        var checked = 0
        while checked < 4000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            let text = try JCS.formatNumber(value)
            let parsed = try JSONParser.parse(text).doubleValue
            #expect(parsed == value, "\(text)")
            // Spelled with the significand padded to 17 digits and any exponent, it is the same decimal.
            let decimal = NaiveDecimal(text)
            let padded = decimal.text(significantDigits: 17)
            #expect(try JSONParser.parse(padded).doubleValue == value, "\(padded)")
            // One more digit that is not zero makes it a decimal no double's shortest form has.
            let longer = decimal.text(significantDigits: 17, appending: "1")
            #expect(error(longer)?.message.contains("exactly") == true, "\(longer)")
            checked += 1
        }
    }

    @Test("A digit appended to a double's exact binary value is rejected unless it round-trips")
    func exactValuePlusDigit() throws {
        var generator = SplitMix64(seed: 8_785)
        var samples: [Double] = [0.5, 0.1, 1, 2, 3.25, 1e22, 9_007_199_254_740_992, .leastNonzeroMagnitude]
        samples.append(.greatestFiniteMagnitude)
        while samples.count < 1500 {
            let value = Double(bitPattern: generator.next())
            if value.isFinite && value != 0 {
                samples.append(value)
            }
        }
        // Doubles with short exact values, so that appending a digit sometimes gives an exact number.
        for _ in 0..<500 {
            let integer = Double(generator.next() % 100_000_000)
            samples.append(integer / Double(1 << (generator.next() % 12)))
        }
        for value in samples {
            let exact = exactDecimal(value)
            let shortest = try JCS.formatNumber(value)
            let exactIsShortest = NaiveDecimal(exact) == NaiveDecimal(shortest)
            #expect((error(exact) == nil) == exactIsShortest, "\(exact)")
            let extended = exact.contains(".") ? exact + "1" : exact + ".1"
            let extendedValue = try #require(Double(extended))
            let roundTrips = NaiveDecimal(extended) == NaiveDecimal(try JCS.formatNumber(extendedValue))
            let failure = error(extended)
            #expect((failure == nil) == roundTrips, "\(extended)")
            if NaiveDecimal(exact).digits.count >= 17 {
                #expect(failure?.message.contains("exactly") == true, "\(extended)")
            }
            if roundTrips {
                #expect(try JSONParser.parse(extended).doubleValue == extendedValue)
            }
        }
    }

    @Test("Decimals of at most 15 significant digits between 1e-307 and 1e308 are always accepted")
    func fifteenDigitsAreExact() throws {
        var generator = SplitMix64(seed: 15)
        for _ in 0..<3000 {
            let digitCount = Int(generator.next() % 15) + 1
            var digits = String(generator.next() % 9 + 1)
            for _ in 1..<digitCount {
                digits += String(generator.next() % 10)
            }
            // Between 1e-307 and 1e308: 0.d…×10^n with n in -306...308.
            let exponent = Int(generator.next() % 615) - 306
            let text = (generator.next() % 2 == 0 ? "-" : "") + "0." + digits + "e" + String(exponent)
            #expect(error(text) == nil, "\(text)")
        }
    }

    @Test("Agrees with Python's decimal and repr on 1,120 generated texts")
    func pythonOracle() throws {
        var accepted = 0
        var rejected = 0
        for line in jsonNumberExactnessFixture.split(separator: "\n") {
            let parts = line.split(separator: " ")
            try #require(parts.count == 2)
            let text = String(parts[1])
            let failure = error(text)
            switch parts[0] {
            case "A":
                #expect(failure == nil, "\(text): \(failure?.message ?? "")")
                #expect(try JSONParser.parse(text).doubleValue == Double(text))
                accepted += 1
            default:
                #expect(failure?.message.contains("exactly") == true, "\(text)")
                rejected += 1
            }
        }
        #expect(accepted > 400 && rejected > 400 && accepted + rejected == 1120)
    }
}

// MARK: - Helpers

/// A deliberately simple model of a decimal number's value, kept apart from the parser's own.
private struct NaiveDecimal: Equatable {
    /// The significant digits without leading or trailing zeros; empty for zero.
    var digits: [Character]
    /// The value is ±0.digits × 10^exponent; 0 for zero.
    var exponent: Int
    var negative: Bool

    init(_ text: String) {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" {
            negative = true
            rest = rest.dropFirst()
        }
        var exponent = 0
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(rest[rest.index(after: e)...].drop(while: { $0 == "+" })) ?? 0
            rest = rest[..<e]
        }
        let point = rest.firstIndex(of: ".")
        let integerPart = point.map { rest[..<$0] } ?? rest
        let fractionPart = point.map { rest[rest.index(after: $0)...] } ?? ""
        var all = Array(integerPart) + Array(fractionPart)
        exponent += integerPart.count
        while all.first == "0" {
            all.removeFirst()
            exponent -= 1
        }
        while all.last == "0" {
            all.removeLast()
        }
        self.digits = all
        self.exponent = all.isEmpty ? 0 : exponent
        self.negative = all.isEmpty ? false : negative
    }

    /// The same value written as `0.ddd…e±n`, padded with zeros to `significantDigits`, then `appending`.
    func text(significantDigits: Int, appending suffix: String = "") -> String {
        guard !digits.isEmpty else { return "0.0" + suffix }
        let padding = String(repeating: "0", count: max(0, significantDigits - digits.count))
        return (negative ? "-" : "") + "0." + String(digits) + padding + suffix + "e" + String(exponent)
    }
}

/// The exact decimal value of a finite double, without an exponent, e.g. `0.1000000000000000055511151231257827021181583404541015625`.
private func exactDecimal(_ value: Double) -> String {
    guard value != 0 else { return "0" }
    let significand: UInt64
    let binaryExponent: Int
    if value.exponentBitPattern == 0 {
        significand = value.significandBitPattern
        binaryExponent = -1074
    } else {
        significand = value.significandBitPattern | 1 << 52
        binaryExponent = Int(value.exponentBitPattern) - 1075
    }
    // Base 10^9 limbs, least significant first.
    var limbs: [UInt64] = [significand % 1_000_000_000, significand / 1_000_000_000 % 1_000_000_000]
    limbs.append(significand / 1_000_000_000_000_000_000)
    func multiply(by factor: UInt64) {
        var carry: UInt64 = 0
        for index in limbs.indices {
            let product = limbs[index] * factor + carry
            limbs[index] = product % 1_000_000_000
            carry = product / 1_000_000_000
        }
        while carry > 0 {
            limbs.append(carry % 1_000_000_000)
            carry /= 1_000_000_000
        }
    }
    // |value| = significand × 2^e = significand × 5^-e / 10^-e for negative e.
    var remaining = abs(binaryExponent)
    while remaining > 0 {
        let step = min(remaining, 13)
        multiply(by: binaryExponent > 0 ? 1 << UInt64(step) : power(5, step))
        remaining -= step
    }
    while limbs.count > 1 && limbs.last == 0 {
        limbs.removeLast()
    }
    var digits = String(limbs.last!)
    for limb in limbs.dropLast().reversed() {
        let text = String(limb)
        digits += String(repeating: "0", count: 9 - text.count) + text
    }
    var text = digits
    if binaryExponent < 0 {
        let fractionDigits = -binaryExponent
        if digits.count <= fractionDigits {
            digits = String(repeating: "0", count: fractionDigits - digits.count + 1) + digits
        }
        let split = digits.index(digits.endIndex, offsetBy: -fractionDigits)
        var fraction = digits[split...]
        while fraction.last == "0" {
            fraction = fraction.dropLast()
        }
        text = String(digits[..<split]) + (fraction.isEmpty ? "" : "." + fraction)
    }
    return (value < 0 ? "-" : "") + text
}

private func power(_ base: UInt64, _ exponent: Int) -> UInt64 {
    (0..<exponent).reduce(1) { result, _ in result * base }
}
