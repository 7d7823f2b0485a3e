/// The payload a ledger message carries.
public enum Payload: Sendable, Hashable {
    /// Application data with a tag.
    case taggedData(TaggedData)
    /// A coordinator milestone.
    case milestone(Milestone)

    /// The tagged data, if this is a tagged-data payload.
    public var taggedData: TaggedData? {
        if case .taggedData(let payload) = self { return payload }
        return nil
    }

    /// The milestone, if this is a milestone payload.
    public var milestone: Milestone? {
        if case .milestone(let payload) = self { return payload }
        return nil
    }

    /// The serialized size, computed without serializing.
    var byteCount: Int {
        switch self {
        case .taggedData(let payload): 4 + 1 + payload.tag.count + 4 + payload.data.count
        case .milestone(let payload): payload.byteCount
        }
    }

    func serialize(into bytes: inout [UInt8]) {
        switch self {
        case .taggedData(let payload): payload.serialize(into: &bytes)
        case .milestone(let payload): payload.serialize(into: &bytes)
        }
    }

    static func deserialize(from reader: inout ByteReader) throws(LedgerError) -> Payload {
        let type = try reader.readInteger(UInt32.self, "payload type")
        switch type {
        case TaggedData.typeCode: return .taggedData(try TaggedData.deserialize(from: &reader))
        case Milestone.typeCode: return .milestone(try Milestone.deserialize(from: &reader))
        default: throw LedgerError("unknown payload type \(type)")
        }
    }
}
