/// RFC 8785 JSON Canonicalization Scheme: the byte form of a ``JSONValue`` that is signed and hashed.
///
/// - No whitespace; UTF-8 output.
/// - Object members sorted by the UTF-16 code units of their names, recursively; arrays keep their order.
/// - Strings escape only `"`, `\` and controls below U+0020 (`\b \f \n \r \t`, otherwise `\u00xx` in
///   lowercase hex); `/` and non-ASCII characters are written literally.
/// - Numbers are written like ECMAScript `Number.prototype.toString`; non-finite numbers are errors.
///
/// Foundation's `JSONSerialization`/`JSONEncoder` are not canonical and must not be used instead.
public enum JCS {
    /// The canonical UTF-8 bytes of `value`.
    public static func canonicalBytes(_ value: JSONValue) throws(JSONError) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(estimatedSize(value))
        try write(value, into: &output)
        return output
    }

    /// The canonical form of `value` as a string.
    public static func canonicalString(_ value: JSONValue) throws(JSONError) -> String {
        String(decoding: try canonicalBytes(value), as: UTF8.self)
    }

    /// Appends the canonical bytes of `value` to `output`.
    ///
    /// If this throws, `output` may hold a partial serialisation.
    public static func write(_ value: JSONValue, into output: inout [UInt8]) throws(JSONError) {
        switch value {
        case .null:
            output.append(contentsOf: literalNull)
        case .bool(let flag):
            output.append(contentsOf: flag ? literalTrue : literalFalse)
        case .number(let number):
            try writeNumber(number, into: &output)
        case .string(let string):
            writeString(string, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first {
                    output.append(UInt8(ascii: ","))
                }
                first = false
                try write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in sortedMembers(members) {
                if !first {
                    output.append(UInt8(ascii: ","))
                }
                first = false
                writeString(key, into: &output)
                output.append(UInt8(ascii: ":"))
                try write(member, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Formats `value` like ECMAScript `Number.prototype.toString` (RFC 8785 §3.2.2.3).
    ///
    /// Throws for NaN and infinities, which JSON cannot represent.
    public static func formatNumber(_ value: Double) throws(JSONError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(26)
        try writeNumber(value, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether `lhs` sorts before `rhs` when comparing UTF-16 code units, as RFC 8785 requires.
    ///
    /// Works on UTF-8 bytes: byte order equals code point order, which equals UTF-16 order except that
    /// supplementary-plane characters (4-byte UTF-8, UTF-16 surrogates D800–DFFF) sort before
    /// U+E000–U+FFFF (UTF-8 lead bytes EE and EF) in UTF-16.
    public static func utf16Precedes(_ lhs: String, _ rhs: String) -> Bool {
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            guard let leftByte = left.next() else {
                return right.next() != nil
            }
            guard let rightByte = right.next() else {
                return false
            }
            if leftByte != rightByte {
                if leftByte >= 0xF0 && (rightByte == 0xEE || rightByte == 0xEF) {
                    return true
                }
                if rightByte >= 0xF0 && (leftByte == 0xEE || leftByte == 0xEF) {
                    return false
                }
                return leftByte < rightByte
            }
        }
    }

    // MARK: - Internals

    private static let literalNull: [UInt8] = Array("null".utf8)
    private static let literalTrue: [UInt8] = Array("true".utf8)
    private static let literalFalse: [UInt8] = Array("false".utf8)
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func sortedMembers(_ members: [String: JSONValue]) -> [(key: String, value: JSONValue)] {
        if members.count <= 1 {
            return Array(members)
        }
        return members.sorted { utf16Precedes($0.key, $1.key) }
    }

    /// A cheap upper-ish estimate of the canonical size, to reserve the output buffer once.
    private static func estimatedSize(_ value: JSONValue) -> Int {
        switch value {
        case .null, .bool:
            return 5
        case .number:
            return 24
        case .string(let string):
            return string.utf8.count + 2
        case .array(let elements):
            var size = 2 + elements.count
            for element in elements {
                size += estimatedSize(element)
            }
            return size
        case .object(let members):
            var size = 2 + members.count * 4
            for (key, member) in members {
                size += key.utf8.count + estimatedSize(member)
            }
            return size
        }
    }

    /// Appends `string` as a canonical JSON string literal.
    static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                    continue
                }
                if runStart < index {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22: output.append(UInt8(ascii: "\""))
                case 0x5C: output.append(UInt8(ascii: "\\"))
                case 0x08: output.append(UInt8(ascii: "b"))
                case 0x0C: output.append(UInt8(ascii: "f"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                default:
                    output.append(contentsOf: [
                        UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)],
                    ])
                }
                runStart = index + 1
            }
            if runStart < bytes.count {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends `value` formatted like ECMAScript `Number.prototype.toString`.
    static func writeNumber(_ value: Double, into output: inout [UInt8]) throws(JSONError) {
        guard value.isFinite else {
            throw JSONError(message: "cannot canonicalize the non-finite number \(value)")
        }
        if value == 0 {
            // Both +0 and -0.
            output.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 {
            output.append(UInt8(ascii: "-"))
        }
        let magnitude = value.magnitude
        // Integers up to 2^53 are exactly their own shortest round-trip digits.
        if magnitude <= 9_007_199_254_740_992, magnitude.rounded(.towardZero) == magnitude {
            writeDecimal(UInt64(magnitude), into: &output)
            return
        }
        writeShortest(magnitude, into: &output)
    }

    private static func writeDecimal(_ value: UInt64, into output: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var remaining = value
            var count = 0
            repeat {
                digits[19 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            } while remaining != 0
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - count)..<20]))
        }
    }

    /// Re-formats the shortest round-trip digits of Swift's `description` with the ECMAScript rules.
    ///
    /// `magnitude` is finite and positive.
    private static func writeShortest(_ magnitude: Double, into output: inout [UInt8]) {
        var text = magnitude.description
        text.withUTF8 { bytes in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { digits in
                // description looks like "123.456", "0.001", "4.0", "1e-05" or "1.2345e+20".
                var digitCount = 0
                var integerDigits = 0
                var seenPoint = false
                var index = 0
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: ".") {
                        seenPoint = true
                    } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                        break
                    } else {
                        digits[digitCount] = byte
                        digitCount += 1
                        if !seenPoint {
                            integerDigits += 1
                        }
                    }
                    index += 1
                }
                var exponent = 0
                if index < bytes.count {
                    index += 1
                    var negativeExponent = false
                    if bytes[index] == UInt8(ascii: "-") {
                        negativeExponent = true
                        index += 1
                    } else if bytes[index] == UInt8(ascii: "+") {
                        index += 1
                    }
                    while index < bytes.count {
                        exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                        index += 1
                    }
                    if negativeExponent {
                        exponent = -exponent
                    }
                }
                // Strip leading zeros (moving the decimal point) and trailing zeros.
                var first = 0
                while first < digitCount - 1, digits[first] == UInt8(ascii: "0") {
                    first += 1
                    integerDigits -= 1
                }
                var last = digitCount
                while last > first + 1, digits[last - 1] == UInt8(ascii: "0") {
                    last -= 1
                }
                let significand = UnsafeBufferPointer(rebasing: digits[first..<last])
                // ECMAScript: value = 0.d1d2...dk × 10^n, with k digits.
                let k = significand.count
                let n = integerDigits + exponent
                appendECMAScript(significand: significand, k: k, n: n, into: &output)
            }
        }
    }

    private static func appendECMAScript(
        significand: UnsafeBufferPointer<UInt8>,
        k: Int,
        n: Int,
        into output: inout [UInt8]
    ) {
        let zero = UInt8(ascii: "0")
        if k <= n && n <= 21 {
            output.append(contentsOf: significand)
            output.append(contentsOf: repeatElement(zero, count: n - k))
        } else if 0 < n && n <= 21 {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: significand[0..<n]))
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: UnsafeBufferPointer(rebasing: significand[n..<k]))
        } else if -6 < n && n <= 0 {
            output.append(zero)
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: repeatElement(zero, count: -n))
            output.append(contentsOf: significand)
        } else {
            output.append(significand[0])
            if k > 1 {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: UnsafeBufferPointer(rebasing: significand[1..<k]))
            }
            output.append(UInt8(ascii: "e"))
            let exponent = n - 1
            output.append(exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            writeDecimal(UInt64(exponent.magnitude), into: &output)
        }
    }
}

extension JSONValue {
    /// The RFC 8785 canonical bytes of this value.
    public func canonicalBytes() throws(JSONError) -> [UInt8] {
        try JCS.canonicalBytes(self)
    }

    /// The RFC 8785 canonical form of this value as a string.
    public func canonicalString() throws(JSONError) -> String {
        try JCS.canonicalString(self)
    }
}
