/// A position in a policy or schema text: 1-based line and column.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The 1-based line.
    public let line: Int
    /// The 1-based column, counted in Unicode scalars.
    public let column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// Why policies, a schema, entities or a request could not be used.
///
/// Every case says where (a ``SourceLocation`` when the problem is in a text) and what is wrong.
public enum PolicyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The policy text is not valid Cedar.
    case syntax(SourceLocation, String)
    /// The text is valid Cedar but uses something outside the subset `CustosPolicy` implements.
    case unsupported(SourceLocation, String)
    /// The schema text is malformed or inconsistent.
    case schema(SourceLocation, String)
    /// A policy does not conform to the schema; `policy` is its id.
    case validation(policy: String, SourceLocation, String)
    /// The entities JSON is malformed.
    case entities(String)
    /// The request is malformed.
    case request(String)

    /// The longest description: messages quote the text they refuse, which may be a whole policy file.
    static let maximumDescriptionLength = 400

    /// A message that names the place and the problem, quoting at most ``maximumDescriptionLength`` characters.
    public var description: String {
        let text = fullDescription
        return text.count <= Self.maximumDescriptionLength
            ? text : String(text.prefix(Self.maximumDescriptionLength)) + "…"
    }

    private var fullDescription: String {
        switch self {
        case .syntax(let location, let message): "\(location): syntax error: \(message)"
        case .unsupported(let location, let message): "\(location): outside the supported Cedar subset: \(message)"
        case .schema(let location, let message): "schema \(location): \(message)"
        case .validation(let policy, let location, let message): "policy \(policy) at \(location): \(message)"
        case .entities(let message): "entities: \(message)"
        case .request(let message): "request: \(message)"
        }
    }
}
