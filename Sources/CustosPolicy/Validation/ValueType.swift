/// The static type of an expression, as the validator infers it.
indirect enum ValueType: Sendable, Equatable, CustomStringConvertible {
    case bool
    case long
    case string
    /// An entity of one of these types (sorted, distinct).
    case entity([String])
    case set(ValueType)
    /// A record with these fields and whether each is always present.
    case record([String: Field])

    struct Field: Sendable, Equatable {
        let type: ValueType
        let isRequired: Bool
    }

    init(_ type: SchemaType) {
        switch type {
        case .bool: self = .bool
        case .long: self = .long
        case .string: self = .string
        case .entity(let name): self = .entity([name])
        case .set(let element): self = .set(ValueType(element))
        case .record(let record): self = ValueType(record)
        }
    }

    init(_ record: RecordType) {
        self = .record(record.attributes.mapValues { Field(type: ValueType($0.type), isRequired: $0.isRequired) })
    }

    var description: String {
        switch self {
        case .bool: "Bool"
        case .long: "Long"
        case .string: "String"
        case .entity(let types): types.count == 1 ? "entity \(types[0])" : "entity (\(types.joined(separator: " | ")))"
        case .set(let element): "Set<\(element)>"
        case .record(let fields):
            "{"
                + fields.keys.sorted().map { "\($0)\(fields[$0]!.isRequired ? "" : "?"): \(fields[$0]!.type)" }
                .joined(separator: ", ") + "}"
        }
    }

    /// The least type both values have, or `nil` if they can never be compared.
    static func leastUpperBound(_ a: ValueType, _ b: ValueType) -> ValueType? {
        switch (a, b) {
        case (.bool, .bool): return .bool
        case (.long, .long): return .long
        case (.string, .string): return .string
        case (.entity(let x), .entity(let y)): return .entity(Array(Set(x).union(y)).sorted())
        case (.set(let x), .set(let y)): return leastUpperBound(x, y).map { .set($0) }
        case (.record(let x), .record(let y)):
            guard Set(x.keys) == Set(y.keys) else { return nil }
            var fields: [String: Field] = [:]
            for (name, field) in x {
                guard let other = y[name], other.isRequired == field.isRequired,
                    let type = leastUpperBound(field.type, other.type)
                else { return nil }
                fields[name] = Field(type: type, isRequired: field.isRequired)
            }
            return .record(fields)
        default: return nil
        }
    }
}
