import CustosCore

extension JSONValue {
    /// Indented JSON with members in code-point order (as RFC 8785 sorts them), for golden files and `render`:
    /// stable across runs, and readable in a diff.
    public func prettyString(indent: String = "") -> String {
        let inner = indent + "  "
        switch self {
        case .object(let members) where !members.isEmpty:
            let lines = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
                .map { key in
                    "\(inner)\(JSONValue.string(key).description): \(members[key]!.prettyString(indent: inner))"
                }
            return "{\n" + lines.joined(separator: ",\n") + "\n\(indent)}"
        case .array(let elements) where !elements.isEmpty:
            return "[\n" + elements.map { inner + $0.prettyString(indent: inner) }.joined(separator: ",\n")
                + "\n\(indent)]"
        default:
            return description
        }
    }
}
