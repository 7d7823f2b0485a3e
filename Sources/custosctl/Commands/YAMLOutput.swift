import CustosCore
import Yams

/// A JSON document as YAML, value for value: numbers keep the JSON text their value has (RFC 8785), strings that
/// YAML would read as something else are quoted, so reading the YAML back gives the same document.
enum YAMLOutput {
    static func render(_ json: [UInt8]) throws -> String {
        try Yams.serialize(node: node(try JSONParser.parse(json)))
    }

    static func node(_ value: JSONValue) throws -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let flag): return Node(flag ? "true" : "false", Tag(.bool))
        case .number: return Node(String(decoding: try JCS.canonicalBytes(value), as: UTF8.self), Tag(.float))
        case .string(let text):
            return Node(text, Tag(.str), isPlain(text) ? .plain : .doubleQuoted)
        case .array(let elements): return Node(try elements.map(node))
        case .object(let members):
            return Node(try members.sorted { $0.key < $1.key }.map { (Node($0.key), try node($0.value)) })
        }
    }

    /// Text YAML reads back as the same string when written bare.
    static func isPlain(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic || first == "_",
            !["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"].contains(text.lowercased()),
            !text.hasSuffix(" "), !text.contains(": "), !text.contains(" #")
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || " _-./,;()'".unicodeScalars.contains($0)
        }
    }
}
