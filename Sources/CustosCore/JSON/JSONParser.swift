/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// It accepts exactly one JSON value, optionally surrounded by whitespace, and rejects everything an
/// I-JSON (RFC 7493) consumer must not silently accept: duplicate object keys (compared after
/// unescaping), unpaired surrogate escapes, invalid UTF-8, unescaped control characters, leading
/// zeros, trailing commas, trailing data, `NaN`/`Infinity`, numbers that overflow a `Double`, nesting
/// deeper than ``Limits/maxDepth`` and input longer than ``Limits/maxBytes``.
///
/// Numbers are converted to the correctly rounded `Double`, and refused unless that conversion is exact
/// in the sense of I-JSON (RFC 7493 §2.2): the number's decimal value must equal that of the text the
/// RFC 8785 encoder writes for the `Double` (so `1.0`, `1e2` and `-0` pass, `9007199254740993`,
/// `0.10000000000000001` and `1e-400` do not). An audit trail must not store anything but what it was sent.
public struct JSONParser {
    /// Resource limits applied while parsing.
    public struct Limits: Sendable {
        /// The deepest allowed nesting of arrays and objects; a top-level array has depth 1.
        public var maxDepth: Int
        /// The largest accepted input, in bytes.
        public var maxBytes: Int

        public init(maxDepth: Int = 64, maxBytes: Int = 1 << 24) {
            self.maxDepth = maxDepth
            self.maxBytes = maxBytes
        }

        /// 64 levels of nesting and 16 MiB of input.
        public static let `default` = Limits()
    }

    /// Parses one JSON value from UTF-8 bytes.
    public static func parse(
        _ bytes: some Collection<UInt8>,
        limits: Limits = .default
    ) throws(JSONError) -> JSONValue {
        let count = bytes.count
        guard count <= limits.maxBytes else {
            throw JSONError(message: "input is \(count) bytes, more than the limit of \(limits.maxBytes)")
        }
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            parseBuffer(buffer, limits: limits)
        }
        if let contiguous {
            return try contiguous.get()
        }
        return try Array(bytes).withUnsafeBufferPointer { buffer in
            parseBuffer(buffer, limits: limits)
        }.get()
    }

    /// Parses one JSON value from a string (its UTF-8 encoding).
    public static func parse(_ string: String, limits: Limits = .default) throws(JSONError) -> JSONValue {
        var string = string
        let count = string.utf8.count
        guard count <= limits.maxBytes else {
            throw JSONError(message: "input is \(count) bytes, more than the limit of \(limits.maxBytes)")
        }
        return try string.withUTF8 { buffer in
            parseBuffer(buffer, limits: limits)
        }.get()
    }

    private static func parseBuffer(
        _ buffer: UnsafeBufferPointer<UInt8>,
        limits: Limits
    ) -> Result<JSONValue, JSONError> {
        var scanner = JSONScanner(buffer: buffer, maxDepth: limits.maxDepth)
        do throws(JSONError) {
            return .success(try scanner.parseDocument())
        } catch {
            return .failure(error)
        }
    }
}

// MARK: - JSONScanner

private enum ASCII {
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let slash: UInt8 = 0x2F
    static let comma: UInt8 = 0x2C
    static let colon: UInt8 = 0x3A
    static let minus: UInt8 = 0x2D
    static let plus: UInt8 = 0x2B
    static let dot: UInt8 = 0x2E
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
}

private struct JSONScanner {
    let buffer: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var position = 0
    var depth = 0
    /// Reused for strings that contain escapes.
    var scratch: [UInt8] = []

    init(buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.buffer = buffer
        self.maxDepth = maxDepth
    }

    var atEnd: Bool { position >= buffer.count }

    mutating func parseDocument() throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard !atEnd else {
            throw JSONError(message: "empty input", offset: position)
        }
        let value = try parseValue()
        skipWhitespace()
        guard atEnd else {
            throw JSONError(message: "unexpected data after the JSON value", offset: position)
        }
        return value
    }

    mutating func skipWhitespace() {
        while position < buffer.count {
            switch buffer[position] {
            case ASCII.space, ASCII.tab, ASCII.lineFeed, ASCII.carriageReturn:
                position += 1
            default:
                return
            }
        }
    }

    func unexpected(_ what: String) -> JSONError {
        guard position < buffer.count else {
            return JSONError(message: "unexpected end of input, \(what)", offset: position)
        }
        return JSONError(message: "unexpected \(describeByte(buffer[position])), \(what)", offset: position)
    }

    mutating func parseValue() throws(JSONError) -> JSONValue {
        guard position < buffer.count else {
            throw unexpected("expected a value")
        }
        switch buffer[position] {
        case ASCII.openBrace:
            return try parseObject()
        case ASCII.openBracket:
            return try parseArray()
        case ASCII.quote:
            return .string(try parseString())
        case ASCII.minus, ASCII.zero...ASCII.nine:
            return .number(try parseNumber())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        default:
            throw unexpected("expected a value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        let bytes = UnsafeBufferPointer(start: literal.utf8Start, count: count)
        guard buffer.count - position >= count,
            UnsafeBufferPointer(rebasing: buffer[position..<position + count]).elementsEqual(bytes)
        else {
            throw JSONError(message: "invalid literal, expected '\(literal)'", offset: start)
        }
        position += count
    }

    mutating func enterContainer() throws(JSONError) {
        depth += 1
        if depth > maxDepth {
            throw JSONError(message: "nesting deeper than \(maxDepth) levels", offset: position)
        }
    }

    mutating func parseArray() throws(JSONError) -> JSONValue {
        try enterContainer()
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < buffer.count, buffer[position] == ASCII.closeBracket {
            position += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue())
            skipWhitespace()
            guard position < buffer.count else {
                throw unexpected("expected ',' or ']' in array")
            }
            switch buffer[position] {
            case ASCII.comma:
                position += 1
                skipWhitespace()
                if position < buffer.count, buffer[position] == ASCII.closeBracket {
                    throw JSONError(message: "trailing comma in array", offset: position)
                }
            case ASCII.closeBracket:
                position += 1
                depth -= 1
                return .array(elements)
            default:
                throw unexpected("expected ',' or ']' in array")
            }
        }
    }

    mutating func parseObject() throws(JSONError) -> JSONValue {
        try enterContainer()
        position += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if position < buffer.count, buffer[position] == ASCII.closeBrace {
            position += 1
            depth -= 1
            return .object(members)
        }
        while true {
            guard position < buffer.count, buffer[position] == ASCII.quote else {
                throw unexpected("expected a string as object key")
            }
            let keyOffset = position
            let key = try parseString()
            skipWhitespace()
            guard position < buffer.count, buffer[position] == ASCII.colon else {
                throw unexpected("expected ':' after object key")
            }
            position += 1
            skipWhitespace()
            let value = try parseValue()
            if members.updateValue(value, forKey: key) != nil {
                throw JSONError(message: "duplicate key \(quotedForMessage(key))", offset: keyOffset)
            }
            skipWhitespace()
            guard position < buffer.count else {
                throw unexpected("expected ',' or '}' in object")
            }
            switch buffer[position] {
            case ASCII.comma:
                position += 1
                skipWhitespace()
                if position < buffer.count, buffer[position] == ASCII.closeBrace {
                    throw JSONError(message: "trailing comma in object", offset: position)
                }
            case ASCII.closeBrace:
                position += 1
                depth -= 1
                return .object(members)
            default:
                throw unexpected("expected ',' or '}' in object")
            }
        }
    }

    // MARK: Strings

    /// Parses a string starting at its opening quote.
    mutating func parseString() throws(JSONError) -> String {
        let openingQuote = position
        position += 1
        var runStart = position
        var escaped = false
        while position < buffer.count {
            let byte = buffer[position]
            switch byte {
            case ASCII.quote:
                let run = UnsafeBufferPointer(rebasing: buffer[runStart..<position])
                position += 1
                if !escaped {
                    return String(decoding: run, as: UTF8.self)
                }
                scratch.append(contentsOf: run)
                return String(decoding: scratch, as: UTF8.self)
            case ASCII.backslash:
                if !escaped {
                    escaped = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[runStart..<position]))
                let scalar = try parseEscape()
                appendUTF8(scalar)
                runStart = position
            case 0..<0x20:
                throw JSONError(
                    message: "unescaped control character \(hexByte(byte)) in string",
                    offset: position
                )
            case 0x20..<0x80:
                position += 1
            default:
                try skipUTF8Sequence()
            }
        }
        throw JSONError(message: "unterminated string", offset: openingQuote)
    }

    mutating func appendUTF8(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            scratch.append(UInt8(value))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (value >> 6)))
            scratch.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (value >> 12)))
            scratch.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (value & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (value >> 18)))
            scratch.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    /// Validates one multi-byte UTF-8 sequence (Unicode Table 3-7) and moves past it.
    mutating func skipUTF8Sequence() throws(JSONError) {
        let lead = buffer[position]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF:
            length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF:
            length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3:
            length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default:
            throw JSONError(message: "invalid UTF-8 byte \(hexByte(lead))", offset: position)
        }
        guard buffer.count - position >= length, secondRange.contains(buffer[position + 1]) else {
            throw JSONError(message: "invalid UTF-8 sequence", offset: position)
        }
        var index = position + 2
        while index < position + length {
            guard buffer[index] & 0xC0 == 0x80 else {
                throw JSONError(message: "invalid UTF-8 sequence", offset: position)
            }
            index += 1
        }
        position += length
    }

    /// Parses an escape sequence starting at its backslash and returns the scalar it denotes.
    mutating func parseEscape() throws(JSONError) -> Unicode.Scalar {
        let start = position
        guard buffer.count - position >= 2 else {
            throw JSONError(message: "incomplete escape sequence", offset: start)
        }
        let byte = buffer[position + 1]
        position += 2
        switch byte {
        case ASCII.quote: return "\""
        case ASCII.backslash: return "\\"
        case ASCII.slash: return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"): break
        default:
            throw JSONError(message: "invalid escape sequence '\\\(describeByteBare(byte))'", offset: start)
        }
        let unit = try parseHex4(escapeStart: start)
        switch unit {
        case 0xD800...0xDBFF:
            let lowStart = position
            guard buffer.count - position >= 2, buffer[position] == ASCII.backslash,
                buffer[position + 1] == UInt8(ascii: "u")
            else {
                throw JSONError(message: "unpaired surrogate \\u\(hex4(unit))", offset: start)
            }
            position += 2
            let low = try parseHex4(escapeStart: lowStart)
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONError(message: "unpaired surrogate \\u\(hex4(unit))", offset: start)
            }
            let value = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            return Unicode.Scalar(value)!
        case 0xDC00...0xDFFF:
            throw JSONError(message: "unpaired surrogate \\u\(hex4(unit))", offset: start)
        default:
            return Unicode.Scalar(unit)!
        }
    }

    mutating func parseHex4(escapeStart: Int) throws(JSONError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard position < buffer.count else {
                throw JSONError(message: "incomplete \\u escape", offset: escapeStart)
            }
            let byte = buffer[position]
            let digit: UInt8
            switch byte {
            case ASCII.zero...ASCII.nine: digit = byte - ASCII.zero
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONError(message: "invalid \\u escape", offset: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    // MARK: Numbers

    mutating func parseNumber() throws(JSONError) -> Double {
        let start = position
        var negative = false
        if buffer[position] == ASCII.minus {
            negative = true
            position += 1
        }
        guard position < buffer.count, isDigit(buffer[position]) else {
            throw unexpected("expected a digit")
        }
        var integer: UInt64 = 0
        var integerDigits = 0
        if buffer[position] == ASCII.zero {
            position += 1
            if position < buffer.count, isDigit(buffer[position]) {
                throw JSONError(message: "leading zeros are not allowed", offset: start)
            }
        } else {
            while position < buffer.count, isDigit(buffer[position]) {
                if integerDigits < 16 {
                    integer = integer &* 10 &+ UInt64(buffer[position] - ASCII.zero)
                }
                integerDigits += 1
                position += 1
            }
        }
        var isInteger = true
        if position < buffer.count, buffer[position] == ASCII.dot {
            isInteger = false
            position += 1
            guard position < buffer.count, isDigit(buffer[position]) else {
                throw unexpected("expected a digit after the decimal point")
            }
            while position < buffer.count, isDigit(buffer[position]) {
                position += 1
            }
        }
        if position < buffer.count, buffer[position] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            position += 1
            if position < buffer.count, buffer[position] == ASCII.plus || buffer[position] == ASCII.minus {
                position += 1
            }
            guard position < buffer.count, isDigit(buffer[position]) else {
                throw unexpected("expected a digit in the exponent")
            }
            while position < buffer.count, isDigit(buffer[position]) {
                position += 1
            }
        }
        // Integers of up to 15 digits are below 2^53, so they convert exactly.
        if isInteger && integerDigits <= 15 {
            let magnitude = Double(integer)
            return negative ? -magnitude : magnitude
        }
        let bytes = UnsafeBufferPointer(rebasing: buffer[start..<position])
        guard let value = Double(String(decoding: bytes, as: UTF8.self)), value.isFinite else {
            throw JSONError(message: "number out of range", offset: start)
        }
        try requireExact(value, text: bytes, offset: start)
        return value
    }

    /// Rejects a number whose decimal value would change if `value` were written again (I-JSON, RFC 7493
    /// §2.2): the text must denote exactly the decimal the RFC 8785 encoder writes for `value`.
    ///
    /// Both are compared as decimals, never as doubles, so `9007199254740993` (stored as
    /// `9007199254740992`), `1e-400` (stored as `0`) and `0.10000000000000001` (written as `0.1`) are
    /// refused while `1.0`, `1e2` and `-0` (written as `0`, RFC 8785) are accepted.
    func requireExact(_ value: Double, text: UnsafeBufferPointer<UInt8>, offset: Int) throws(JSONError) {
        var canonical: [UInt8] = []
        canonical.reserveCapacity(26)
        try JCS.writeNumber(value, into: &canonical)
        let exact = canonical.withUnsafeBufferPointer { canonical in
            NormalizedDecimal(text) == NormalizedDecimal(canonical)
        }
        guard exact else {
            let limit = 40
            var shown = String(decoding: text.prefix(limit), as: UTF8.self)
            if text.count > limit {
                shown += "…"
            }
            // What it would become says why: 2^74 is a double, but not one RFC 8785 writes with all its digits.
            throw JSONError(
                message: "number \(shown) cannot be kept exactly: as an IEEE-754 double it is written "
                    + "\(String(decoding: canonical, as: UTF8.self)) (I-JSON, RFC 7493 §2.2); send it as a string",
                offset: offset
            )
        }
    }

    func isDigit(_ byte: UInt8) -> Bool {
        byte >= ASCII.zero && byte <= ASCII.nine
    }
}

// MARK: - NormalizedDecimal

/// The decimal value of a JSON number's text as ±0.d₁d₂…dₖ × 10^exponent, with d₁ and dₖ non-zero.
///
/// Zero (of either sign, with any exponent) has no digits, no sign and exponent 0. Texts with more
/// than ``maxDigits`` significant digits keep only the first ones and their count, so they equal no
/// double's shortest form.
private struct NormalizedDecimal: Equatable {
    /// More significant digits than any shortest round-trip form of a double has (17).
    static let maxDigits = 18

    var negative = false
    /// The significant digits, at most ``maxDigits`` of them.
    var digits: [UInt8] = []
    /// The number of significant digits, possibly more than `digits` holds.
    var digitCount = 0
    var exponent = 0

    /// Normalises text that matches the JSON number grammar.
    init(_ text: UnsafeBufferPointer<UInt8>) {
        let zero = UInt8(ascii: "0")
        var index = text.startIndex
        if index < text.endIndex, text[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        var mantissaDigits = 0
        var integerDigits: Int?
        var firstNonZero: Int?
        var lastNonZero = 0
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                integerDigits = mantissaDigits
            } else if byte >= zero && byte <= UInt8(ascii: "9") {
                if byte != zero {
                    if firstNonZero == nil {
                        firstNonZero = mantissaDigits
                    }
                    lastNonZero = mantissaDigits
                }
                if firstNonZero != nil && digits.count < Self.maxDigits {
                    digits.append(byte)
                }
                mantissaDigits += 1
            } else {
                break
            }
            index += 1
        }
        guard let firstNonZero else {
            self = NormalizedDecimal()
            return
        }
        var written = 0
        if index < text.endIndex {
            // The exponent part: 'e' or 'E', an optional sign, digits. Saturate far beyond any double.
            index += 1
            var negativeExponent = false
            if text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                negativeExponent = text[index] == UInt8(ascii: "-")
                index += 1
            }
            while index < text.endIndex {
                if written < 1_000_000_000_000 {
                    written = written * 10 + Int(text[index] - zero)
                }
                index += 1
            }
            if negativeExponent {
                written = -written
            }
        }
        digitCount = lastNonZero - firstNonZero + 1
        if digitCount <= Self.maxDigits {
            digits.removeLast(digits.count - digitCount)
        }
        exponent = (integerDigits ?? mantissaDigits) - firstNonZero + written
    }

    private init() {}
}

// MARK: - Message helpers

private let hexDigits: [Character] = Array("0123456789abcdef")

private func hexByte(_ byte: UInt8) -> String {
    "0x" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0x0F)])
}

private func hex4(_ unit: UInt16) -> String {
    var result = ""
    for shift in stride(from: 12, through: 0, by: -4) {
        result.append(hexDigits[Int((unit >> UInt16(shift)) & 0x0F)])
    }
    return result
}

private func describeByte(_ byte: UInt8) -> String {
    if byte > 0x20 && byte < 0x7F {
        return "character '\(Character(Unicode.Scalar(byte)))'"
    }
    return "byte \(hexByte(byte))"
}

private func describeByteBare(_ byte: UInt8) -> String {
    if byte > 0x20 && byte < 0x7F {
        return String(Character(Unicode.Scalar(byte)))
    }
    return hexByte(byte)
}

/// Quotes a key for an error message, escaped like JSON and truncated to keep messages short.
private func quotedForMessage(_ key: String) -> String {
    let limit = 64
    var shown = key
    if key.count > limit {
        shown = String(key.prefix(limit)) + "…"
    }
    var bytes: [UInt8] = []
    JCS.writeString(shown, into: &bytes)
    return String(decoding: bytes, as: UTF8.self)
}
