/// Parses Cedar's human-readable schema format (the subset described on ``Schema``).
struct SchemaParser {
    private indirect enum RawType {
        case named(String, SourceLocation)
        case set(RawType)
        case record([(String, RawType, Bool, SourceLocation)], SourceLocation)
    }

    private struct RawEntity {
        let name: String
        let memberOf: [String]
        let attributes: RawType?
        let location: SourceLocation
    }

    private struct RawAction {
        let name: String
        let memberOf: [String]
        let principals: [String]
        let resources: [String]
        let context: RawType?
        let appliesTo: Bool
        let location: SourceLocation
    }

    private let tokens: [Token]
    private var position = 0
    private var entities: [RawEntity] = []
    private var actions: [RawAction] = []
    private var commonTypes: [String: (RawType, SourceLocation)] = [:]

    init(text: String) throws(PolicyError) {
        tokens = try Lexer.tokenize(text)
    }

    private var current: Token { tokens[position] }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private mutating func expect(_ symbol: String, _ context: String) throws(PolicyError) {
        guard current.isSymbol(symbol) else {
            throw .schema(current.location, "expected `\(symbol)` \(context), found \(current.display)")
        }
        advance()
    }

    private mutating func identifier(_ context: String) throws(PolicyError) -> String {
        guard case .identifier(let name) = current.kind else {
            throw .schema(current.location, "expected an identifier \(context), found \(current.display)")
        }
        advance()
        return name
    }

    private mutating func name(_ context: String) throws(PolicyError) -> String {
        if case .string(let raw) = current.kind {
            let location = current.location
            advance()
            return try StringLiteral.decode(raw, at: location)
        }
        return try identifier(context)
    }

    private mutating func path(_ context: String) throws(PolicyError) -> String {
        var result = try identifier(context)
        while current.isSymbol("::"), case .identifier = tokens[min(position + 1, tokens.count - 1)].kind {
            advance()
            result += "::" + (try identifier(context))
        }
        return result
    }

    mutating func parse() throws(PolicyError) -> ([String: Schema.EntityType], [String: Schema.Action]) {
        while current.kind != .end {
            try skipAnnotations()
            let location = current.location
            let keyword = try identifier("(`entity`, `action` or `type`)")
            switch keyword {
            case "entity": try parseEntity(at: location)
            case "action": try parseAction(at: location)
            case "type":
                let typeName = try identifier("as the common type's name")
                try expect("=", "after the common type's name")
                let type = try parseType()
                if commonTypes.updateValue((type, location), forKey: typeName) != nil {
                    throw .schema(location, "common type `\(typeName)` is declared twice")
                }
                if current.isSymbol(";") { advance() }
            case "namespace":
                throw .schema(location, "namespaces are outside the supported schema subset")
            default:
                throw .schema(location, "expected `entity`, `action` or `type`, found `\(keyword)`")
            }
        }
        return try resolve()
    }

    private mutating func skipAnnotations() throws(PolicyError) {
        while current.isSymbol("@") {
            advance()
            _ = try identifier("after `@`")
            if current.isSymbol("(") {
                advance()
                _ = try name("as the annotation's value")
                try expect(")", "after the annotation's value")
            }
        }
    }

    private mutating func nameList(_ context: String, names: () throws(PolicyError) -> String)
        throws(PolicyError) -> [String]
    {
        var result = [try names()]
        while current.isSymbol(",") {
            advance()
            result.append(try names())
        }
        return result
    }

    private mutating func typeList() throws(PolicyError) -> [String] {
        if current.isSymbol("[") {
            advance()
            var result: [String] = []
            while !current.isSymbol("]") {
                result.append(try path("as an entity type"))
                if current.isSymbol(",") { advance() } else { break }
            }
            try expect("]", "to close the list")
            return result
        }
        return [try path("as an entity type")]
    }

    private mutating func parseEntity(at location: SourceLocation) throws(PolicyError) {
        var names = [try identifier("as the entity type's name")]
        while current.isSymbol(",") {
            advance()
            names.append(try identifier("as the entity type's name"))
        }
        if current.isIdentifier("enum") {
            throw .schema(current.location, "enumerated entity types are outside the supported schema subset")
        }
        var memberOf: [String] = []
        if current.isIdentifier("in") {
            advance()
            memberOf = try typeList()
        }
        var attributes: RawType?
        if current.isSymbol("=") { advance() }
        if current.isSymbol("{") { attributes = try parseType() }
        if current.isIdentifier("tags") {
            throw .schema(current.location, "entity tags are outside the supported schema subset")
        }
        try expect(";", "at the end of the entity declaration")
        for name in names {
            entities.append(RawEntity(name: name, memberOf: memberOf, attributes: attributes, location: location))
        }
    }

    private mutating func actionReference() throws(PolicyError) -> String {
        if case .identifier = current.kind {
            let type = try path("as an action group")
            if current.isSymbol("::") {
                guard type == "Action" else {
                    throw .schema(current.location, "an action group must be an `Action`, not a `\(type)`")
                }
                advance()
                return try name("as the action group's id")
            }
            return type
        }
        return try name("as an action group")
    }

    private mutating func parseAction(at location: SourceLocation) throws(PolicyError) {
        var names = [try name("as the action's name")]
        while current.isSymbol(",") {
            advance()
            names.append(try name("as the action's name"))
        }
        var memberOf: [String] = []
        if current.isIdentifier("in") {
            advance()
            if current.isSymbol("[") {
                advance()
                while !current.isSymbol("]") {
                    memberOf.append(try actionReference())
                    if current.isSymbol(",") { advance() } else { break }
                }
                try expect("]", "to close the action group list")
            } else {
                memberOf.append(try actionReference())
            }
        }
        var principals: [String] = []
        var resources: [String] = []
        var context: RawType?
        var appliesTo = false
        if current.isIdentifier("appliesTo") {
            appliesTo = true
            advance()
            try expect("{", "after `appliesTo`")
            while !current.isSymbol("}") {
                let fieldLocation = current.location
                let field = try identifier("(`principal`, `resource` or `context`)")
                try expect(":", "after `\(field)`")
                switch field {
                case "principal": principals = try typeList()
                case "resource": resources = try typeList()
                case "context": context = try parseType()
                default: throw .schema(fieldLocation, "unknown `appliesTo` field `\(field)`")
                }
                if current.isSymbol(",") { advance() } else { break }
            }
            try expect("}", "to close `appliesTo`")
        }
        if current.isIdentifier("attributes") {
            throw .schema(current.location, "action attributes are outside the supported schema subset")
        }
        try expect(";", "at the end of the action declaration")
        for name in names {
            actions.append(
                RawAction(
                    name: name, memberOf: memberOf, principals: principals, resources: resources, context: context,
                    appliesTo: appliesTo, location: location))
        }
    }

    private mutating func parseType() throws(PolicyError) -> RawType {
        let location = current.location
        if current.isSymbol("{") {
            advance()
            var fields: [(String, RawType, Bool, SourceLocation)] = []
            var seen: Set<String> = []
            while !current.isSymbol("}") {
                try skipAnnotations()
                let fieldLocation = current.location
                let field = try name("as an attribute name")
                if !seen.insert(field).inserted {
                    throw .schema(fieldLocation, "attribute `\(field)` is declared twice")
                }
                var required = true
                if current.isSymbol("?") {
                    required = false
                    advance()
                }
                try expect(":", "after the attribute name")
                fields.append((field, try parseType(), required, fieldLocation))
                if current.isSymbol(",") { advance() } else { break }
            }
            try expect("}", "to close the record type")
            return .record(fields, location)
        }
        let typeName = try path("as a type")
        if typeName == "Set" || typeName == "__cedar::Set" {
            try expect("<", "after `Set`")
            let element = try parseType()
            try expect(">", "to close `Set<...>`")
            return .set(element)
        }
        return .named(typeName, location)
    }

    // MARK: Resolution

    private func resolve() throws(PolicyError) -> ([String: Schema.EntityType], [String: Schema.Action]) {
        var entityNames: Set<String> = []
        for entity in entities where !entityNames.insert(entity.name).inserted {
            throw .schema(entity.location, "entity type `\(entity.name)` is declared twice")
        }
        var entityTypes: [String: Schema.EntityType] = [:]
        for entity in entities {
            for parent in entity.memberOf where !entityNames.contains(parent) {
                throw .schema(entity.location, "entity type `\(entity.name)` is in an undeclared type `\(parent)`")
            }
            var attributes = RecordType(attributes: [:])
            if let raw = entity.attributes {
                guard case .record(let record) = try resolve(raw, entityNames, depth: 0) else {
                    throw .schema(entity.location, "the attributes of `\(entity.name)` must be a record")
                }
                attributes = record
            }
            entityTypes[entity.name] = Schema.EntityType(
                name: entity.name, memberOf: entity.memberOf, attributes: attributes)
        }
        var actionNames: Set<String> = []
        for action in actions where !actionNames.insert(action.name).inserted {
            throw .schema(action.location, "action `\(action.name)` is declared twice")
        }
        var result: [String: Schema.Action] = [:]
        for action in actions {
            for group in action.memberOf where !actionNames.contains(group) {
                throw .schema(action.location, "action `\(action.name)` is in an undeclared action `\(group)`")
            }
            for type in action.principals + action.resources where !entityNames.contains(type) {
                throw .schema(action.location, "action `\(action.name)` applies to an undeclared type `\(type)`")
            }
            if action.appliesTo, action.principals.isEmpty || action.resources.isEmpty {
                throw .schema(action.location, "action `\(action.name)` needs both principal and resource types")
            }
            var context = RecordType(attributes: [:])
            if let raw = action.context {
                guard case .record(let record) = try resolve(raw, entityNames, depth: 0) else {
                    throw .schema(action.location, "the context of `\(action.name)` must be a record")
                }
                context = record
            }
            result[action.name] = Schema.Action(
                uid: EntityUID(type: "Action", id: action.name),
                memberOf: action.memberOf.map { EntityUID(type: "Action", id: $0) }, principals: action.principals,
                resources: action.resources, context: context)
        }
        for action in actions {
            var seen: Set<String> = []
            var pending = action.memberOf
            while let group = pending.popLast() {
                if group == action.name {
                    throw .schema(action.location, "action `\(action.name)` is in a cycle of action groups")
                }
                if seen.insert(group).inserted { pending.append(contentsOf: result[group]?.memberOf.map(\.id) ?? []) }
            }
        }
        return (entityTypes, result)
    }

    private func resolve(_ raw: RawType, _ entityNames: Set<String>, depth: Int) throws(PolicyError) -> SchemaType {
        switch raw {
        case .set(let element):
            return .set(try resolve(element, entityNames, depth: depth))
        case .record(let fields, _):
            var attributes: [String: RecordType.Attribute] = [:]
            for (name, type, required, _) in fields {
                attributes[name] = RecordType.Attribute(
                    type: try resolve(type, entityNames, depth: depth), isRequired: required)
            }
            return .record(RecordType(attributes: attributes))
        case .named(let name, let location):
            if let (common, _) = commonTypes[name] {
                guard depth < 32 else { throw .schema(location, "common type `\(name)` refers to itself") }
                return try resolve(common, entityNames, depth: depth + 1)
            }
            switch name {
            case "String", "__cedar::String": return .string
            case "Long", "__cedar::Long": return .long
            case "Bool", "Boolean", "__cedar::Bool": return .bool
            case "ipaddr", "decimal", "datetime", "duration", "__cedar::ipaddr", "__cedar::decimal",
                "__cedar::datetime", "__cedar::duration":
                throw .schema(location, "the extension type `\(name)` is outside the supported schema subset")
            default:
                guard entityNames.contains(name) else { throw .schema(location, "unknown type `\(name)`") }
                return .entity(name)
            }
        }
    }
}
