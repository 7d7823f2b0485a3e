/// Base64 with the standard alphabet (RFC 4648 §4), padded.
///
/// Decoding is strict: the length must be a multiple of 4, padding is required, no whitespace or
/// line breaks, and the unused bits of the last character must be zero, so every byte string has
/// exactly one accepted encoding.
public enum Base64 {
    private static let coder = Base64Coder(
        name: "base64",
        alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        padded: true
    )

    /// Standard, padded Base64 of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        coder.encode(bytes)
    }

    /// Decodes standard, padded Base64 strictly.
    public static func decode(_ string: some StringProtocol) throws(CodecError) -> [UInt8] {
        try coder.decode(string)
    }
}

/// Base64 with the URL- and filename-safe alphabet (RFC 4648 §5), without padding.
///
/// Decoding is strict: `=` is rejected, as are lengths of 4n+1, whitespace and non-zero unused bits.
public enum Base64URL {
    private static let coder = Base64Coder(
        name: "base64url",
        alphabet: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        padded: false
    )

    /// Unpadded base64url of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        coder.encode(bytes)
    }

    /// Decodes unpadded base64url strictly.
    public static func decode(_ string: some StringProtocol) throws(CodecError) -> [UInt8] {
        try coder.decode(string)
    }
}

private struct Base64Coder: Sendable {
    let name: String
    let alphabet: [UInt8]
    let values: [UInt8]
    let padded: Bool

    init(name: String, alphabet: String, padded: Bool) {
        self.name = name
        self.alphabet = Array(alphabet.utf8)
        var values = [UInt8](repeating: 0xFF, count: 256)
        for (index, character) in self.alphabet.enumerated() {
            values[Int(character)] = UInt8(index)
        }
        self.values = values
        self.padded = padded
    }

    func encode(_ bytes: some Collection<UInt8>) -> String {
        let input = Array(bytes)
        let fullGroups = input.count / 3
        let remainder = input.count % 3
        var outputCount = fullGroups * 4
        if remainder > 0 {
            outputCount += padded ? 4 : remainder + 1
        }
        return String(unsafeUninitializedCapacity: outputCount) { output in
            var out = 0
            var index = 0
            while index + 3 <= input.count {
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                output[out] = alphabet[Int(group >> 18 & 0x3F)]
                output[out + 1] = alphabet[Int(group >> 12 & 0x3F)]
                output[out + 2] = alphabet[Int(group >> 6 & 0x3F)]
                output[out + 3] = alphabet[Int(group & 0x3F)]
                out += 4
                index += 3
            }
            if remainder == 1 {
                let group = UInt32(input[index]) << 16
                output[out] = alphabet[Int(group >> 18 & 0x3F)]
                output[out + 1] = alphabet[Int(group >> 12 & 0x3F)]
                out += 2
                if padded {
                    output[out] = UInt8(ascii: "=")
                    output[out + 1] = UInt8(ascii: "=")
                    out += 2
                }
            } else if remainder == 2 {
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                output[out] = alphabet[Int(group >> 18 & 0x3F)]
                output[out + 1] = alphabet[Int(group >> 12 & 0x3F)]
                output[out + 2] = alphabet[Int(group >> 6 & 0x3F)]
                out += 3
                if padded {
                    output[out] = UInt8(ascii: "=")
                    out += 1
                }
            }
            return out
        }
    }

    func decode(_ string: some StringProtocol) throws(CodecError) -> [UInt8] {
        let input = Array(string.utf8)
        var end = input.count
        if padded {
            guard end % 4 == 0 else {
                throw CodecError(message: "invalid \(name) length \(end): must be a multiple of 4")
            }
            if end > 0 && input[end - 1] == UInt8(ascii: "=") {
                end -= 1
                if input[end - 1] == UInt8(ascii: "=") {
                    end -= 1
                }
            }
        } else if end % 4 == 1 {
            throw CodecError(message: "invalid \(name) length \(end)")
        }
        var output: [UInt8] = []
        output.reserveCapacity(end / 4 * 3 + 2)
        var index = 0
        while index + 4 <= end {
            let group =
                try value(input, index) << 18 | value(input, index + 1) << 12
                | value(input, index + 2) << 6 | value(input, index + 3)
            output.append(UInt8(truncatingIfNeeded: group >> 16))
            output.append(UInt8(truncatingIfNeeded: group >> 8))
            output.append(UInt8(truncatingIfNeeded: group))
            index += 4
        }
        switch end - index {
        case 0:
            break
        case 2:
            let first = try value(input, index)
            let second = try value(input, index + 1)
            let group = first << 18 | second << 12
            guard second & 0x0F == 0 else { throw nonCanonical() }
            output.append(UInt8(truncatingIfNeeded: group >> 16))
        case 3:
            let firstTwo = try value(input, index) << 18 | value(input, index + 1) << 12
            let third = try value(input, index + 2)
            let group = firstTwo | third << 6
            guard third & 0x03 == 0 else { throw nonCanonical() }
            output.append(UInt8(truncatingIfNeeded: group >> 16))
            output.append(UInt8(truncatingIfNeeded: group >> 8))
        default:
            // Unreachable: lengths of 4n+1 were rejected above.
            throw CodecError(message: "invalid \(name) length \(input.count)")
        }
        return output
    }

    private func value(_ input: [UInt8], _ index: Int) throws(CodecError) -> UInt32 {
        let character = input[index]
        let value = values[Int(character)]
        guard value != 0xFF else {
            let string = String(decoding: input, as: UTF8.self)
            throw CodecError.invalidCharacter(name, in: string, atUTF8Offset: index)
        }
        return UInt32(value)
    }

    private func nonCanonical() -> CodecError {
        CodecError(message: "non-canonical \(name): the unused bits of the last character are not zero")
    }
}
