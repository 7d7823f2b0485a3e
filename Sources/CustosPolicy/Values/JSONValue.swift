/// A JSON value as read from entities and context documents, keeping booleans, integers and strings apart.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a JSON text (RFC 8259); `what` names the document in messages.
    static func parse(_ text: String, what: String) throws(PolicyError) -> JSONValue {
        var reader = JSONReader(bytes: Array(text.utf8), what: what)
        let value = try reader.value(depth: 0)
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else { throw reader.failure("unexpected data after the JSON value") }
        return value
    }

    /// Converts Cedar's JSON form of a value: `{"__entity": {"type", "id"}}` for entities, objects for records,
    /// arrays for sets.
    func cedarValue(at path: String) throws(PolicyError) -> Value {
        switch self {
        case .null: throw .entities("\(path): null is not a Cedar value")
        case .bool(let value): return .bool(value)
        case .integer(let value): return .long(value)
        case .number: throw .entities("\(path): Cedar has no fractional numbers")
        case .string(let value): return .string(value)
        case .array(let elements):
            var set: Set<Value> = []
            for (index, element) in elements.enumerated() {
                set.insert(try element.cedarValue(at: "\(path)[\(index)]"))
            }
            return .set(set)
        case .object(let fields):
            if fields.count == 1, let reference = fields["__entity"] {
                return .entity(try reference.entityUID(at: "\(path).__entity"))
            }
            if fields["__extn"] != nil {
                throw .entities("\(path): extension values (`__extn`) are outside the supported subset")
            }
            var record: [String: Value] = [:]
            for (key, value) in fields {
                record[key] = try value.cedarValue(at: "\(path).\(key)")
            }
            return .record(record)
        }
    }

    /// Reads `{"type": "...", "id": "..."}` (or the same wrapped in `__entity`).
    func entityUID(at path: String) throws(PolicyError) -> EntityUID {
        guard case .object(var fields) = self else { throw .entities("\(path): expected an entity reference object") }
        if fields.count == 1, let inner = fields["__entity"], case .object(let innerFields) = inner {
            fields = innerFields
        }
        guard fields.count == 2, case .string(let type) = fields["type"], case .string(let id) = fields["id"] else {
            throw .entities("\(path): an entity reference needs exactly a string `type` and a string `id`")
        }
        return EntityUID(type: type, id: id)
    }
}
