import ArgumentParser
import CustosCore
import Yams

/// One YAML (or JSON, which is YAML) document as a ``JSONValue``, with YAML 1.2's core schema for scalars.
enum YAMLDocument {
    static func json(_ text: String) throws -> JSONValue {
        guard let node = try Yams.compose(yaml: text) else { throw ValidationError("the document is empty") }
        return try value(node)
    }

    static func value(_ node: Node) throws -> JSONValue {
        switch node {
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, item) in mapping {
                guard let name = key.string else { throw ValidationError("a mapping key is not a string") }
                members[name] = try value(item)
            }
            return .object(members)
        case .sequence(let sequence):
            return .array(try sequence.map(value))
        case .scalar(let scalar):
            if scalar.style == .plain {
                if node.null != nil { return .null }
                if let bool = node.bool { return .bool(bool) }
                if let int = node.int { return .number(Double(int)) }
                if let double = node.float { return .number(double) }
            }
            return .string(scalar.string)
        case .alias:
            throw ValidationError("YAML aliases are not accepted")
        }
    }
}
