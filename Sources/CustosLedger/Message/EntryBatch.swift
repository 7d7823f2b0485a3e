import CustosCore

/// The binary form in which a gateway hands entries to the ledger worker, and the worker answers with their
/// ids: no base64 and no JSON on the write path (docs/ledger.md §4.1).
///
/// A batch is `count u32 | entry*`, each entry `contentTypeLength u8 | contentType | tagLength u8 | tag |
/// dataLength u32 | data`, integers little-endian. The answer is the 32-byte message ids, in entry order.
public enum EntryBatch {
    /// The most entries one batch carries.
    public static let maximumCount = 1000

    /// The batch's bytes.
    public static func encode(_ entries: [LedgerEntry]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(
            entries.reduce(4) { $0 + 6 + $1.contentType.utf8.count + $1.payload.tag.count + $1.payload.data.count })
        bytes.appendLittleEndian(UInt32(entries.count))
        for entry in entries {
            bytes.append(UInt8(entry.contentType.utf8.count))  // at most 255, as LedgerEntry checked
            bytes.append(contentsOf: entry.contentType.utf8)
            bytes.append(UInt8(entry.payload.tag.count))
            bytes.append(contentsOf: entry.payload.tag)
            bytes.appendLittleEndian(UInt32(entry.payload.data.count))
            bytes.append(contentsOf: entry.payload.data)
        }
        return bytes
    }

    /// Parses a batch of 1 to ``maximumCount`` entries; anything malformed, truncated or left over is an error.
    public static func decode(_ bytes: [UInt8]) throws(LedgerError) -> [LedgerEntry] {
        var reader = ByteReader(bytes)
        let count = Int(try reader.readInteger(UInt32.self, "entry count"))
        guard (1...maximumCount).contains(count) else {
            throw LedgerError("a batch holds 1 to \(maximumCount) entries, not \(count)")
        }
        var entries: [LedgerEntry] = []
        entries.reserveCapacity(count)
        for index in 0..<count {
            let typeLength = Int(try reader.readInteger(UInt8.self, "content type length of entry \(index)"))
            guard let contentType = String(validating: try reader.read(typeLength, "content type"), as: UTF8.self)
            else { throw LedgerError("the content type of entry \(index) is not UTF-8") }
            let tagLength = Int(try reader.readInteger(UInt8.self, "tag length of entry \(index)"))
            let tag = Array(try reader.read(tagLength, "tag of entry \(index)"))
            let dataLength = Int(try reader.readInteger(UInt32.self, "data length of entry \(index)"))
            let data = Array(try reader.read(dataLength, "data of entry \(index)"))
            entries.append(try LedgerEntry(payload: try TaggedData(tag: tag, data: data), contentType: contentType))
        }
        guard reader.remaining == 0 else { throw LedgerError("\(reader.remaining) bytes after the last entry") }
        return entries
    }

    /// The answer's bytes: the ids in entry order.
    public static func encode(ids: [Digest32]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32 * ids.count)
        for id in ids { bytes.append(contentsOf: id.bytes) }
        return bytes
    }

    /// Parses an answer that must hold exactly `count` ids.
    public static func decodeIDs(_ bytes: [UInt8], count: Int) throws(LedgerError) -> [Digest32] {
        guard bytes.count == 32 * count else {
            throw LedgerError("expected \(count) message ids (\(32 * count) bytes), got \(bytes.count) bytes")
        }
        var reader = ByteReader(bytes)
        var ids: [Digest32] = []
        ids.reserveCapacity(count)
        for index in 0..<count { ids.append(try reader.readDigest("message id \(index)")) }
        return ids
    }
}
