/// Base16: lowercase on output, either case on input.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hex of `bytes`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
            var index = 0
            for byte in bytes {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    /// Decodes hex in either case; rejects odd lengths and non-hex characters.
    public static func decode(_ string: some StringProtocol) throws(CodecError) -> [UInt8] {
        let utf8 = string.utf8
        var result: [UInt8] = []
        result.reserveCapacity(utf8.count / 2)
        var high: UInt8 = 0
        var offset = 0
        for byte in utf8 {
            guard let nibble = value(of: byte) else {
                throw CodecError.invalidCharacter("hex", in: string, atUTF8Offset: offset)
            }
            if offset & 1 == 0 {
                high = nibble
            } else {
                result.append(high << 4 | nibble)
            }
            offset += 1
        }
        guard offset & 1 == 0 else {
            throw CodecError(message: "hex string has odd length \(offset)")
        }
        return result
    }

    @inline(__always)
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}
