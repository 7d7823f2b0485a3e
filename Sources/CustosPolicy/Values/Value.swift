/// A Cedar value: what attributes, context fields and expressions hold.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// `true` or `false`.
    case bool(Bool)
    /// A 64-bit signed integer.
    case long(Int64)
    /// A string.
    case string(String)
    /// A reference to an entity.
    case entity(EntityUID)
    /// A set of values (no order, no duplicates).
    case set(Set<Value>)
    /// A record: named fields.
    case record([String: Value])

    /// The type's name as Cedar's messages spell it.
    public var typeName: String {
        switch self {
        case .bool: "bool"
        case .long: "long"
        case .string: "string"
        case .entity: "entity"
        case .set: "set"
        case .record: "record"
        }
    }

    /// A Cedar-like rendering, for messages.
    public var description: String {
        switch self {
        case .bool(let value): "\(value)"
        case .long(let value): "\(value)"
        case .string(let value): "\"\(EntityUID.escape(value))\""
        case .entity(let uid): uid.description
        case .set(let values): "[" + values.map(\.description).sorted().joined(separator: ", ") + "]"
        case .record(let fields):
            "{" + fields.keys.sorted().map { "\"\(EntityUID.escape($0))\": \(fields[$0]!)" }.joined(separator: ", ")
                + "}"
        }
    }
}
