/// The payload a ledger message carries.
public enum Payload: Sendable, Hashable {
    /// Application data with a tag.
    case taggedData(TaggedData)

    /// The serialized size, computed without serializing.
    var byteCount: Int {
        switch self {
        case .taggedData(let payload): 4 + 1 + payload.tag.count + 4 + payload.data.count
        }
    }

    func serialize(into bytes: inout [UInt8]) {
        switch self {
        case .taggedData(let payload): payload.serialize(into: &bytes)
        }
    }

    static func deserialize(from reader: inout ByteReader) throws(LedgerError) -> Payload {
        let type = try reader.readInteger(UInt32.self, "payload type")
        switch type {
        case TaggedData.typeCode: return .taggedData(try TaggedData.deserialize(from: &reader))
        default: throw LedgerError("unknown payload type \(type)")
        }
    }
}
