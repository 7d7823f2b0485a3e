/// Generates random policies (within the supported subset), entity graphs and requests from a seed.
///
/// Expressions are biased towards being well typed, but a fraction are deliberately ill typed, refer to missing
/// entities or attributes, or overflow, so that error handling is compared as well.
struct CaseGenerator {
    private var random: SeededGenerator
    private let seed: UInt64

    private static let types = ["User", "Group", "Doc"]
    private static let ids = ["alice", "bob", "g1", "g2", "d1", "d2", "x\"y", "*", "é"]
    private static let actions = ["read", "write", "admin", "readGroup"]
    private static let attributes = ["name", "age", "flag", "tags", "owner", "info"]
    private static let strings = ["", "a", "ab", "a*b", "ba", "abc", "x\"y", "é", "*", "a\\b", "a\\"]
    private static let longs: [Int64] = [0, 1, -1, 2, 7, 42, -100, Int64.max, Int64.min, Int64.max - 1]

    init(seed: UInt64) {
        self.seed = seed
        random = SeededGenerator(seed: seed)
    }

    // MARK: Entities

    private struct Node {
        let type: String
        let id: String
    }

    private var universe: [Node] {
        var nodes: [Node] = []
        for type in Self.types {
            for id in Self.ids.prefix(5) { nodes.append(Node(type: type, id: id)) }
        }
        return nodes
    }

    private mutating func entityLiteral() -> String {
        if random.chance(0.15) {
            return "Action::\"\(random.pick(Self.actions))\""
        }
        return "\(random.pick(Self.types))::\"\(cedarEscape(random.pick(Self.ids)))\""
    }

    private func cedarEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    private mutating func jsonValue(depth: Int) -> String {
        switch random.int(0..<(depth > 1 ? 4 : 6)) {
        case 0: return random.chance(0.5) ? "true" : "false"
        case 1: return String(random.pick(Self.longs))
        case 2: return JSONText.string(random.pick(Self.strings))
        case 3:
            return JSONText.object([
                ("__entity", JSONText.uid(type: random.pick(Self.types), id: random.pick(Self.ids)))
            ])
        case 4:
            let count = random.int(0..<3)
            var items: [String] = []
            for _ in 0..<count { items.append(jsonValue(depth: depth + 1)) }
            return JSONText.array(items)
        default:
            var fields: [(String, String)] = []
            for name in Self.attributes.prefix(3) where random.chance(0.5) {
                fields.append((name, jsonValue(depth: depth + 1)))
            }
            return JSONText.object(fields)
        }
    }

    private mutating func typedJSON(_ attribute: String) -> String {
        if random.chance(0.1) { return jsonValue(depth: 1) }
        switch attribute {
        case "name": return JSONText.string(random.pick(Self.strings))
        case "age": return String(random.pick(Self.longs))
        case "flag": return random.chance(0.5) ? "true" : "false"
        case "tags":
            var items: [String] = []
            for _ in 0..<random.int(0..<4) { items.append(JSONText.string(random.pick(Self.strings))) }
            return JSONText.array(items)
        case "owner":
            return JSONText.object([
                ("__entity", JSONText.uid(type: random.pick(Self.types), id: random.pick(Self.ids)))
            ])
        default:
            return JSONText.object([("name", JSONText.string(random.pick(Self.strings))), ("age", "1")])
        }
    }

    private mutating func entities() -> String {
        let nodes = universe
        var items: [String] = []
        for (index, node) in nodes.enumerated() where random.chance(0.7) {
            var attrs: [(String, String)] = []
            for name in Self.attributes where random.chance(0.6) { attrs.append((name, typedJSON(name))) }
            var parents: [String] = []
            for later in nodes[(index + 1)...] where random.chance(0.12) {
                parents.append(JSONText.uid(type: later.type, id: later.id))
            }
            items.append(
                JSONText.object([
                    ("uid", JSONText.uid(type: node.type, id: node.id)), ("attrs", JSONText.object(attrs)),
                    ("parents", JSONText.array(parents)),
                ]))
        }
        // Actions with a small hierarchy: readGroup contains read.
        for action in Self.actions {
            let parents = action == "read" ? [JSONText.uid(type: "Action", id: "readGroup")] : []
            items.append(
                JSONText.object([
                    ("uid", JSONText.uid(type: "Action", id: action)), ("attrs", "{}"),
                    ("parents", JSONText.array(parents)),
                ]))
        }
        return JSONText.array(items)
    }

    // MARK: Expressions

    private enum Kind: CaseIterable {
        case bool, long, string, entity, set, record
    }

    private mutating func expression(_ wanted: Kind, depth: Int) -> String {
        var kind = wanted
        if random.chance(0.06) { kind = random.pick(Kind.allCases) }
        let leaf = depth >= 3 || random.chance(0.3)
        switch kind {
        case .bool: return leaf ? boolLeaf() : boolNode(depth)
        case .long: return leaf ? longLeaf() : longNode(depth)
        case .string:
            return leaf
                ? stringLeaf() : "(if \(expression(.bool, depth: depth + 1)) then \(stringLeaf()) else \(stringLeaf()))"
        case .entity: return entityLeaf()
        case .set: return leaf ? setLeaf() : setNode(depth)
        case .record: return leaf ? recordLeaf() : recordNode(depth)
        }
    }

    private mutating func variableEntity() -> String { random.pick(["principal", "resource", "action"]) }

    private mutating func access(_ attribute: String) -> String {
        switch random.int(0..<5) {
        case 0: return "context.\(attribute)"
        case 1: return "\(variableEntity())[\"\(attribute)\"]"
        case 2: return "\(entityLiteral()).\(attribute)"
        case 3: return "principal.owner.\(attribute)"
        default: return "\(variableEntity()).\(attribute)"
        }
    }

    private mutating func guarded(_ attribute: String, _ test: String) -> String {
        let target = random.pick(["principal", "resource", "context"])
        return "(\(target) has \(attribute) && \(target).\(attribute)\(test))"
    }

    private mutating func boolLeaf() -> String {
        switch random.int(0..<4) {
        case 0: return random.chance(0.5) ? "true" : "false"
        case 1: return access("flag")
        case 2: return "(\(variableEntity()) has \(random.pick(Self.attributes)))"
        default: return "(context has \"\(random.pick(Self.attributes))\")"
        }
    }

    private mutating func boolNode(_ depth: Int) -> String {
        let d = depth + 1
        switch random.int(0..<17) {
        case 0: return "!\(expression(.bool, depth: d))"
        case 1: return "(\(expression(.bool, depth: d)) && \(expression(.bool, depth: d)))"
        case 2: return "(\(expression(.bool, depth: d)) || \(expression(.bool, depth: d)))"
        case 3:
            let kind = random.pick(Kind.allCases)
            return "(\(expression(kind, depth: d)) \(random.pick(["==", "!="])) \(expression(kind, depth: d)))"
        case 4:
            return
                "(\(expression(.long, depth: d)) \(random.pick(["<", "<=", ">", ">="])) \(expression(.long, depth: d)))"
        case 5: return "(\(expression(.entity, depth: d)) in \(expression(.entity, depth: d)))"
        case 6: return "(\(expression(.entity, depth: d)) in [\(entityLeaf()), \(entityLeaf())])"
        case 7: return "(\(expression(.string, depth: d)) like \"\(pattern())\")"
        case 8: return "(\(expression(.entity, depth: d)) is \(random.pick(Self.types)))"
        case 9:
            return
                "(\(expression(.entity, depth: d)) is \(random.pick(Self.types)) in \(expression(.entity, depth: d)))"
        case 10: return "\(expression(.set, depth: d)).contains(\(expression(random.pick([.string, .long]), depth: d)))"
        case 11:
            return
                "\(expression(.set, depth: d)).\(random.pick(["containsAll", "containsAny"]))(\(expression(.set, depth: d)))"
        case 12: return "\(expression(.set, depth: d)).isEmpty()"
        case 13:
            return
                "(if \(expression(.bool, depth: d)) then \(expression(.bool, depth: d)) else \(expression(.bool, depth: d)))"
        case 14: return guarded("name", " == \"\(cedarEscape(random.pick(Self.strings)))\"")
        case 15: return guarded("tags", ".contains(\"a\")")
        default: return "(\(expression(.record, depth: d)) has \(random.pick(Self.attributes)))"
        }
    }

    private mutating func pattern() -> String {
        var text = ""
        for _ in 0..<random.int(0..<5) {
            text += random.pick(["a", "b", "*", "\\*", "\\\\*", "\\\\", "é", "\\\"", "**"])
        }
        return text
    }

    private mutating func longLeaf() -> String {
        switch random.int(0..<3) {
        case 0:
            let value = random.pick(Self.longs)
            return value < 0 ? "(\(value))" : "\(value)"
        case 1: return access("age")
        default: return "\(variableEntity()).info.age"
        }
    }

    private mutating func longNode(_ depth: Int) -> String {
        let d = depth + 1
        switch random.int(0..<5) {
        case 0: return "(\(expression(.long, depth: d)) + \(expression(.long, depth: d)))"
        case 1: return "(\(expression(.long, depth: d)) - \(expression(.long, depth: d)))"
        case 2: return "(\(expression(.long, depth: d)) * \(expression(.long, depth: d)))"
        case 3: return "-\(expression(.long, depth: d))"
        default: return "(if \(expression(.bool, depth: d)) then \(expression(.long, depth: d)) else \(longLeaf()))"
        }
    }

    private mutating func stringLeaf() -> String {
        random.chance(0.5) ? "\"\(cedarEscape(random.pick(Self.strings)))\"" : access("name")
    }

    private mutating func entityLeaf() -> String {
        switch random.int(0..<3) {
        case 0: return variableEntity()
        case 1: return entityLiteral()
        default: return access("owner")
        }
    }

    private mutating func setLeaf() -> String {
        random.chance(0.5) ? access("tags") : "[\"a\", \"ab\"]"
    }

    private mutating func setNode(_ depth: Int) -> String {
        var items: [String] = []
        let kind: Kind = random.pick([.string, .long, .entity, .set])
        for _ in 0..<random.int(0..<4) { items.append(expression(kind, depth: depth + 1)) }
        return "[\(items.joined(separator: ", "))]"
    }

    private mutating func recordLeaf() -> String {
        random.chance(0.5) ? "context" : access("info")
    }

    private mutating func recordNode(_ depth: Int) -> String {
        var fields: [String] = []
        for name in Self.attributes.shuffled(using: &random).prefix(random.int(0..<3)) {
            let key = random.chance(0.5) ? name : "\"\(name)\""
            fields.append("\(key): \(expression(random.pick(Kind.allCases), depth: depth + 1))")
        }
        return "{\(fields.joined(separator: ", "))}"
    }

    // MARK: Policies and requests

    private mutating func entityScope(_ variable: String) -> String {
        switch random.int(0..<9) {
        case 0: return "\(variable) == \(entityLiteral())"
        case 1: return "\(variable) in \(entityLiteral())"
        case 2: return "\(variable) is \(random.pick(Self.types))"
        case 3: return "\(variable) is \(random.pick(Self.types)) in \(entityLiteral())"
        default: return variable
        }
    }

    private mutating func actionScope() -> String {
        switch random.int(0..<6) {
        case 0: return "action == Action::\"\(random.pick(Self.actions))\""
        case 1: return "action in Action::\"\(random.pick(Self.actions))\""
        case 2: return "action in [Action::\"\(random.pick(Self.actions))\", Action::\"\(random.pick(Self.actions))\"]"
        default: return "action"
        }
    }

    private mutating func policy(_ index: Int) -> String {
        var text = random.chance(0.2) ? "@id(\"p\(index)\")\n" : ""
        text += random.chance(0.75) ? "permit" : "forbid"
        text += "(\(entityScope("principal")), \(actionScope()), \(entityScope("resource")))"
        for _ in 0..<random.int(0..<3) {
            text += random.chance(0.6) ? " when " : " unless "
            text += "{ \(expression(.bool, depth: 0)) }"
        }
        return text + ";"
    }

    private mutating func context() -> String {
        var fields: [(String, String)] = []
        for name in Self.attributes where random.chance(0.6) { fields.append((name, typedJSON(name))) }
        return JSONText.object(fields)
    }

    private mutating func uid() -> (type: String, id: String) {
        (random.pick(Self.types), random.pick(Self.ids))
    }

    /// The next case.
    mutating func next(label: String) -> OracleCase {
        var policies: [String] = []
        for index in 0..<random.int(1..<6) { policies.append(policy(index)) }
        let entities = entities()
        var requests: [OracleCase.RequestText] = []
        for _ in 0..<6 {
            requests.append(
                OracleCase.RequestText(
                    principal: uid(), action: ("Action", random.pick(Self.actions)), resource: uid(),
                    contextJSON: context()))
        }
        return OracleCase(
            label: "\(label) (seed \(seed))", policies: policies.joined(separator: "\n"), entitiesJSON: entities,
            requests: requests)
    }
}
