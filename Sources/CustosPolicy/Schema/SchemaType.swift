/// The type of an attribute or context field in a ``Schema``.
public indirect enum SchemaType: Sendable, Hashable, CustomStringConvertible {
    /// `Bool`
    case bool
    /// `Long`
    case long
    /// `String`
    case string
    /// A reference to an entity of the named type.
    case entity(String)
    /// `Set<T>`
    case set(SchemaType)
    /// `{ name: T, optional?: T }`
    case record(RecordType)

    /// The Cedar schema spelling.
    public var description: String {
        switch self {
        case .bool: "Bool"
        case .long: "Long"
        case .string: "String"
        case .entity(let name): name
        case .set(let element): "Set<\(element)>"
        case .record(let record): record.description
        }
    }
}

/// A record type: attributes with their types and whether they are required.
public struct RecordType: Sendable, Hashable, CustomStringConvertible {
    /// One attribute.
    public struct Attribute: Sendable, Hashable {
        /// Its type.
        public let type: SchemaType
        /// Whether every value of the record has it (`name: T`) or not (`name?: T`).
        public let isRequired: Bool
    }

    /// The attributes by name.
    public let attributes: [String: Attribute]

    /// Creates a record type.
    public init(attributes: [String: Attribute]) {
        self.attributes = attributes
    }

    /// The Cedar schema spelling.
    public var description: String {
        "{"
            + attributes.keys.sorted().map { "\($0)\(attributes[$0]!.isRequired ? "" : "?"): \(attributes[$0]!.type)" }
            .joined(separator: ", ") + "}"
    }
}
