/// Application data with an index tag: `type u32 = 5 | tagLength u8 | tag | dataLength u32 | data`.
public struct TaggedData: Sendable, Hashable {
    /// The payload type code.
    public static let typeCode: UInt32 = 5
    /// The longest tag, in bytes.
    public static let maximumTagLength = 64

    /// The index tag (0...64 bytes).
    public let tag: [UInt8]
    /// The application data.
    public let data: [UInt8]

    /// Creates a payload; the tag must be at most 64 bytes.
    public init(tag: [UInt8], data: [UInt8]) throws(LedgerError) {
        guard tag.count <= Self.maximumTagLength else {
            throw LedgerError("tag is \(tag.count) bytes; at most \(Self.maximumTagLength) are allowed")
        }
        self.tag = tag
        self.data = data
    }

    func serialize(into bytes: inout [UInt8]) {
        bytes.appendLittleEndian(Self.typeCode)
        bytes.append(UInt8(tag.count))
        bytes.append(contentsOf: tag)
        bytes.appendLittleEndian(UInt32(data.count))
        bytes.append(contentsOf: data)
    }

    static func deserialize(from reader: inout ByteReader) throws(LedgerError) -> TaggedData {
        let tagLength = Int(try reader.readInteger(UInt8.self, "tag length"))
        let tag = Array(try reader.read(tagLength, "tag"))
        let dataLength = Int(try reader.readInteger(UInt32.self, "data length"))
        let data = Array(try reader.read(dataLength, "data"))
        return try TaggedData(tag: tag, data: data)
    }
}
