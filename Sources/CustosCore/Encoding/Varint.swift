/// Unsigned LEB128 varints as used by multicodec and multiformats (at most 9 bytes, 63 bits).
public enum Varint {
    /// The longest varint ``decode(_:)`` accepts, per the multiformats unsigned-varint spec.
    public static let maxByteCount = 9

    /// The minimal LEB128 encoding of `value`.
    ///
    /// Values of 2^63 and above need 10 bytes, which ``decode(_:)`` rejects.
    public static func encode(_ value: UInt64) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(10)
        var remaining = value
        while remaining >= 0x80 {
            result.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        result.append(UInt8(remaining))
        return result
    }

    /// Decodes the varint at the start of `bytes` and returns it with the number of bytes it used.
    ///
    /// Rejects empty or truncated input, non-minimal encodings (a trailing `0x00` group) and varints
    /// longer than ``maxByteCount`` bytes. Bytes after the varint are ignored.
    public static func decode(_ bytes: some Collection<UInt8>) throws(CodecError) -> (value: UInt64, byteCount: Int) {
        var value: UInt64 = 0
        var count = 0
        for byte in bytes {
            guard count < maxByteCount else {
                throw CodecError(message: "varint longer than \(maxByteCount) bytes")
            }
            value |= UInt64(byte & 0x7F) << UInt64(7 * count)
            count += 1
            if byte & 0x80 == 0 {
                if byte == 0 && count > 1 {
                    throw CodecError(message: "non-minimal varint encoding")
                }
                return (value, count)
            }
        }
        throw CodecError(message: count == 0 ? "empty varint" : "truncated varint")
    }
}
