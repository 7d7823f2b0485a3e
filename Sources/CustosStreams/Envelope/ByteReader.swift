import CustosCore

/// Reads little-endian fields, failing with `StreamsError.truncated` instead of trapping on short input.
struct ByteReader {
    private let bytes: [UInt8]
    /// Added to offsets in errors, so a reader over a nested structure reports envelope offsets.
    private let base: Int
    private(set) var offset: Int = 0

    init(_ bytes: some Collection<UInt8>, base: Int = 0) {
        self.bytes = Array(bytes)
        self.base = base
    }

    var remaining: Int { bytes.count - offset }

    /// The absolute offset of the next byte, for nested readers and error messages.
    var position: Int { base + offset }

    mutating func read(_ count: Int, _ field: String) throws(StreamsError) -> [UInt8] {
        guard count >= 0, remaining >= count else {
            throw .truncated(field: field, offset: position, needed: count, remaining: remaining)
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func readInteger<T: FixedWidthInteger>(_: T.Type, _ field: String) throws(StreamsError) -> T {
        let slice = try read(MemoryLayout<T>.size, field)
        var value: T = 0
        for (shift, byte) in slice.enumerated() { value |= T(byte) << (8 * shift) }
        return value
    }

    mutating func readDigest(_ field: String) throws(StreamsError) -> Digest32 {
        let raw = try read(32, field)
        return try! Digest32(bytes: raw)  // exactly 32 bytes were read
    }

    /// A `u32` length followed by that many bytes.
    mutating func readBytes(_ field: String) throws(StreamsError) -> [UInt8] {
        let length = Int(try readInteger(UInt32.self, "\(field) length"))
        return try read(length, field)
    }

    /// Ends a structure: anything left over is an error, so each value has exactly one encoding.
    func finish(_ structure: String) throws(StreamsError) {
        guard remaining == 0 else { throw .trailingBytes(field: structure, count: remaining) }
    }
}

extension Array where Element == UInt8 {
    /// Appends an integer in little-endian order.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    /// Appends a `u32` length and the bytes.
    mutating func appendLengthPrefixed(_ bytes: [UInt8]) {
        appendLittleEndian(UInt32(bytes.count))
        append(contentsOf: bytes)
    }
}

extension Collection<UInt8> {
    /// True when every byte is zero: the encoding of an absent key or id.
    var isAllZero: Bool { allSatisfy { $0 == 0 } }
}
