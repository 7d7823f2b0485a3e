/// A textual or binary encoding (hex, base58, base64, multibase, varint, multicodec) was malformed.
public struct CodecError: CustosError, Equatable {
    /// What went wrong, e.g. `invalid base58 character '0' at position 3`.
    public let message: String

    public init(message: String) {
        self.message = message
    }

    public var kind: ErrorKind { .invalidInput }

    public var description: String { message }
}

extension CodecError {
    /// An error naming the offending character of `string` at UTF-8 offset `offset`.
    ///
    /// All characters before `offset` are ASCII, so the offset is also the character position.
    static func invalidCharacter(
        _ encoding: String,
        in string: some StringProtocol,
        atUTF8Offset offset: Int
    ) -> CodecError {
        let utf8 = string.utf8
        let index = utf8.index(utf8.startIndex, offsetBy: offset)
        let scalar = string.unicodeScalars[index]
        return CodecError(message: "invalid \(encoding) character \(describe(scalar)) at position \(offset)")
    }

    /// `'x'` for printable ASCII, otherwise `U+XXXX`.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        if scalar.value > 0x20 && scalar.value < 0x7F {
            return "'\(Character(scalar))'"
        }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
