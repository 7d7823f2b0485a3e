import CustosCore

/// A W3C Bitstring Status List v1.0 bitstring.
///
/// Bit order is MSB-first: index 0 is the most significant bit of byte 0 (mask `0x80 >> (i % 8)` on
/// byte `i / 8`). The encoded form is GZIP, then multibase base64url without padding (`u…`).
public struct BitstringStatusList: Sendable, Hashable {
    /// The minimum length the specification requires, for herd privacy: 131,072 bits (16 KiB).
    public static let minimumBitCount = 131_072

    /// The bitstring.
    public private(set) var bytes: [UInt8]

    /// The number of bits.
    public var bitCount: Int { bytes.count * 8 }

    /// An all-zero list of `bitCount` bits (at least 131,072, a multiple of 8).
    public init(bitCount: Int = BitstringStatusList.minimumBitCount) throws(IdentityError) {
        guard bitCount >= BitstringStatusList.minimumBitCount, bitCount % 8 == 0 else {
            throw IdentityError.malformed(
                field: "bitCount", reason: "must be a multiple of 8 and at least \(BitstringStatusList.minimumBitCount)"
            )
        }
        bytes = [UInt8](repeating: 0, count: bitCount / 8)
    }

    /// A list over existing bytes; shorter than 16 KiB is refused.
    public init(bytes: [UInt8]) throws(IdentityError) {
        guard bytes.count * 8 >= BitstringStatusList.minimumBitCount else {
            throw IdentityError.malformed(
                field: "encodedList",
                reason:
                    "expands to \(bytes.count * 8) bits, fewer than the required \(BitstringStatusList.minimumBitCount)"
            )
        }
        self.bytes = bytes
    }

    /// Decodes an `encodedList` (`u` + base64url(GZIP(bits))).
    public init(encodedList: String) throws(IdentityError) {
        guard encodedList.first == "u" else {
            throw IdentityError.malformed(field: "encodedList", reason: "must be multibase base64url (start with 'u')")
        }
        let compressed: [UInt8]
        do {
            compressed = try Base64URL.decode(encodedList.dropFirst())
        } catch {
            throw IdentityError.malformed(field: "encodedList", reason: "is not base64url: \(error)")
        }
        let expanded: [UInt8]
        do throws(IdentityError) {
            expanded = try Compression.gunzip(compressed)
        } catch {
            throw IdentityError.malformed(field: "encodedList", reason: "is not valid GZIP: \(error.description)")
        }
        try self.init(bytes: expanded)
    }

    /// The `encodedList` value: `u` + base64url(GZIP(bits)).
    public func encoded() throws(IdentityError) -> String {
        Multibase.encode(try Compression.gzip(bytes), base: .base64url)
    }

    /// Whether bit `index` is set.
    public func isSet(_ index: Int) throws(IdentityError) -> Bool {
        try checkRange(index)
        return bytes[index / 8] & (0x80 >> UInt8(index % 8)) != 0
    }

    /// Sets bit `index` to `value`.
    public mutating func set(_ index: Int, to value: Bool = true) throws(IdentityError) {
        try checkRange(index)
        let mask: UInt8 = 0x80 >> UInt8(index % 8)
        if value {
            bytes[index / 8] |= mask
        } else {
            bytes[index / 8] &= ~mask
        }
    }

    /// The `size`-bit status of entry `index` (bits `index·size ..< (index+1)·size`, most significant first).
    public func status(at index: Int, size: Int = 1) throws(IdentityError) -> Int {
        guard (1...16).contains(size) else {
            throw IdentityError.malformed(field: "statusSize", reason: "must be between 1 and 16")
        }
        guard index >= 0, index < bitCount / size else {
            throw IdentityError.statusIndexOutOfRange(index: index, size: bitCount / size)
        }
        var value = 0
        for bit in (index * size)..<((index + 1) * size) {
            value = value << 1 | (try isSet(bit) ? 1 : 0)
        }
        return value
    }

    /// The indices of all set bits, ascending.
    public var setIndices: [Int] {
        var result: [Int] = []
        for (byteIndex, byte) in bytes.enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 {
                result.append(byteIndex * 8 + bit)
            }
        }
        return result
    }

    private func checkRange(_ index: Int) throws(IdentityError) {
        guard index >= 0, index < bitCount else {
            throw IdentityError.statusIndexOutOfRange(index: index, size: bitCount)
        }
    }
}
