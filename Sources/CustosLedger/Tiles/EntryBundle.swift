import CustosCore

/// A tlog-tiles entry bundle (`tile/entries/<N>[.p/<W>]`): log entries, each prefixed by its length as a
/// big-endian `UInt16`. Our entries are 32-byte message ids, so a full bundle is 256 × 34 bytes.
public enum EntryBundle {
    /// Serializes entries; each must be at most 65,535 bytes.
    public static func encode(_ entries: [[UInt8]]) throws(LedgerError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.reduce(0) { $0 + 2 + $1.count })
        for (position, entry) in entries.enumerated() {
            guard entry.count <= Int(UInt16.max) else {
                throw LedgerError("entry \(position) is \(entry.count) bytes; a bundle entry holds at most 65535")
            }
            bytes.append(UInt8(entry.count >> 8))
            bytes.append(UInt8(entry.count & 0xFF))
            bytes.append(contentsOf: entry)
        }
        return bytes
    }

    /// The bundle of message ids, in log order.
    public static func encode(messageIDs: [Digest32]) -> [UInt8] {
        try! encode(messageIDs.map(\.bytes))  // 32-byte entries always fit
    }

    /// Splits a bundle into its entries, rejecting a truncated last entry.
    public static func decode(_ bytes: [UInt8]) throws(LedgerError) -> [[UInt8]] {
        var entries: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 2 <= bytes.count else { throw LedgerError("entry bundle ends inside a length prefix") }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            offset += 2
            guard offset + length <= bytes.count else {
                throw LedgerError(
                    "entry bundle entry \(entries.count) needs \(length) bytes, \(bytes.count - offset) left")
            }
            entries.append(Array(bytes[offset..<offset + length]))
            offset += length
        }
        return entries
    }

    /// Checks that a bundle's entries are exactly the leaves of the matching level-0 tile.
    public static func verify(_ bytes: [UInt8], against tile: [UInt8]) throws(LedgerError) {
        let entries = try decode(bytes)
        guard entries.count * 32 == tile.count else {
            throw LedgerError("entry bundle has \(entries.count) entries, but the tile has \(tile.count / 32) hashes")
        }
        for (position, entry) in entries.enumerated()
        where MerkleHash.leafHash(entry).bytes[...] != tile[position * 32..<(position + 1) * 32] {
            throw LedgerError("entry \(position) of the bundle does not hash to the tile's leaf hash")
        }
    }
}
