/// An entity's unique id: its type (such as `ApiKey` or `Action`) and its id string.
public struct EntityUID: Sendable, Hashable, CustomStringConvertible {
    /// The entity type name, `::`-separated when namespaced.
    public let type: String
    /// The id within the type.
    public let id: String

    /// Creates an entity id.
    public init(type: String, id: String) {
        self.type = type
        self.id = id
    }

    /// The Cedar rendering, `Type::"id"`.
    public var description: String { "\(type)::\"\(Self.escape(id))\"" }

    /// Whether this is an action (its type is `Action` or ends in `::Action`).
    var isAction: Bool { type == "Action" || type.hasSuffix("::Action") }

    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\0": result += "\\0"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
