import CustosCore

/// Reads little-endian fields from a byte array, failing instead of trapping on short input.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset: Int = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func read(_ count: Int, _ what: String) throws(LedgerError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else {
            throw LedgerError("truncated message: \(what) needs \(count) bytes at offset \(offset), \(remaining) left")
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func readInteger<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(LedgerError) -> T {
        let slice = try read(MemoryLayout<T>.size, what)
        var value: T = 0
        for (shift, byte) in slice.enumerated() { value |= T(byte) << (8 * shift) }
        return value
    }

    mutating func readDigest(_ what: String) throws(LedgerError) -> Digest32 {
        let raw = try read(32, what)
        return try! Digest32(bytes: raw)  // exactly 32 bytes were read
    }
}

extension Array where Element == UInt8 {
    /// Appends an integer in little-endian order.
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
