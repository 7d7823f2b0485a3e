/// A recursive-descent parser for the Cedar subset, producing ``Policy`` values.
///
/// Anything that is valid Cedar but outside the subset (templates, extension functions, entity tags, `has` on
/// attribute paths, other methods) is rejected with ``PolicyError/unsupported(_:_:)``.
struct Parser {
    private static let reserved: Set<String> = [
        "true", "false", "if", "then", "else", "in", "is", "like", "has", "__cedar",
    ]
    private static let supportedMethods: Set<String> = ["contains", "containsAll", "containsAny", "isEmpty"]
    private static let extensionMethods: Set<String> = [
        "lessThan", "lessThanOrEqual", "greaterThan", "greaterThanOrEqual", "isIpv4", "isIpv6", "isLoopback",
        "isMulticast", "isInRange", "hasTag", "getTag", "toDate", "toTime", "toDays", "toHours", "toMinutes",
        "toSeconds", "toMilliseconds", "offset", "durationSince",
    ]

    private let tokens: [Token]
    private var position = 0

    init(text: String) throws(PolicyError) {
        tokens = try Lexer.tokenize(text)
    }

    private var current: Token { tokens[position] }
    private var next: Token { tokens[min(position + 1, tokens.count - 1)] }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private mutating func expect(_ symbol: String, _ context: String) throws(PolicyError) {
        guard current.isSymbol(symbol) else {
            throw .syntax(current.location, "expected `\(symbol)` \(context), found \(current.display)")
        }
        advance()
    }

    private mutating func identifier(_ context: String) throws(PolicyError) -> String {
        guard case .identifier(let name) = current.kind else {
            throw .syntax(current.location, "expected an identifier \(context), found \(current.display)")
        }
        advance()
        return name
    }

    private mutating func nonReservedIdentifier(_ context: String) throws(PolicyError) -> String {
        let location = current.location
        let name = try identifier(context)
        if Self.reserved.contains(name) {
            throw .syntax(location, "`\(name)` is a reserved identifier and cannot be used \(context)")
        }
        return name
    }

    private mutating func string(_ context: String) throws(PolicyError) -> String {
        guard case .string(let raw) = current.kind else {
            throw .syntax(current.location, "expected a string \(context), found \(current.display)")
        }
        let location = current.location
        advance()
        return try StringLiteral.decode(raw, at: location)
    }

    // MARK: Policies

    mutating func parsePolicies() throws(PolicyError) -> [Policy] {
        var policies: [Policy] = []
        var ids: Set<String> = []
        while current.kind != .end {
            let location = current.location
            let policy = try parsePolicy(index: policies.count)
            if !ids.insert(policy.id).inserted {
                throw .syntax(location, "duplicate policy id `\(policy.id)`")
            }
            policies.append(policy)
        }
        return policies
    }

    private mutating func parsePolicy(index: Int) throws(PolicyError) -> Policy {
        let start = current.location
        var annotations: [String: String] = [:]
        while current.isSymbol("@") {
            let location = current.location
            advance()
            let name = try identifier("after `@`")
            var value = ""
            if current.isSymbol("(") {
                advance()
                value = try string("as the annotation's value")
                try expect(")", "after the annotation's value")
            }
            if annotations.updateValue(value, forKey: name) != nil {
                throw .syntax(location, "duplicate annotation `@\(name)`")
            }
        }
        let effectLocation = current.location
        let effectName = try identifier("(`permit` or `forbid`)")
        guard let effect = Policy.Effect(rawValue: effectName) else {
            throw .syntax(effectLocation, "expected `permit` or `forbid`, found `\(effectName)`")
        }
        try expect("(", "after `\(effectName)`")
        guard current.isIdentifier("principal") else {
            throw .syntax(current.location, "expected `principal` as the first scope element, found \(current.display)")
        }
        advance()
        let principal = try parseEntityConstraint("principal")
        try expect(",", "after the principal constraint")
        guard current.isIdentifier("action") else {
            throw .syntax(current.location, "expected `action` as the second scope element, found \(current.display)")
        }
        advance()
        let action = try parseActionConstraint()
        try expect(",", "after the action constraint")
        guard current.isIdentifier("resource") else {
            throw .syntax(current.location, "expected `resource` as the third scope element, found \(current.display)")
        }
        advance()
        let resource = try parseEntityConstraint("resource")
        if current.isSymbol(",") {
            throw .unsupported(current.location, "a fourth scope element is not Cedar")
        }
        try expect(")", "to close the policy scope")
        var conditions: [Policy.Condition] = []
        while current.isIdentifier("when") || current.isIdentifier("unless") {
            let isWhen = current.isIdentifier("when")
            advance()
            try expect("{", "to open the condition")
            if current.isSymbol("}") { throw .syntax(current.location, "a condition must not be empty") }
            let expression = try parseExpression()
            try expect("}", "to close the condition")
            conditions.append(Policy.Condition(isWhen: isWhen, expression: expression))
        }
        try expect(";", "at the end of the policy")
        return Policy(
            id: annotations["id"] ?? "policy\(index)", effect: effect, principal: principal, action: action,
            resource: resource, conditions: conditions, annotations: annotations, location: start)
    }

    private mutating func parseEntityConstraint(_ variable: String) throws(PolicyError) -> Policy.EntityConstraint {
        if current.isSymbol("==") {
            advance()
            return .equal(try parseEntityReferenceInScope())
        }
        if current.isIdentifier("in") {
            advance()
            if current.isSymbol("[") {
                throw .syntax(current.location, "`\(variable) in [...]` is only allowed for `action`")
            }
            return .in(try parseEntityReferenceInScope())
        }
        if current.isIdentifier("is") {
            advance()
            let type = try parsePath("after `is`")
            if current.isIdentifier("in") {
                advance()
                return .isType(type, in: try parseEntityReferenceInScope())
            }
            return .isType(type, in: nil)
        }
        return .any
    }

    private mutating func parseActionConstraint() throws(PolicyError) -> Policy.ActionConstraint {
        if current.isSymbol("==") {
            advance()
            return .equal(try parseActionReference())
        }
        if current.isIdentifier("in") {
            advance()
            if current.isSymbol("[") {
                advance()
                var actions: [EntityUID] = []
                while !current.isSymbol("]") {
                    actions.append(try parseActionReference())
                    if current.isSymbol(",") { advance() } else { break }
                }
                try expect("]", "to close the action list")
                return .in(actions)
            }
            return .in([try parseActionReference()])
        }
        if current.isIdentifier("is") {
            throw .syntax(current.location, "`action is ...` is not allowed in a policy scope")
        }
        return .any
    }

    private mutating func parseActionReference() throws(PolicyError) -> EntityUID {
        let location = current.location
        let uid = try parseEntityReferenceInScope()
        guard uid.isAction else {
            throw .syntax(location, "expected an entity of type `Action` in the action scope, found \(uid)")
        }
        return uid
    }

    private mutating func parseEntityReferenceInScope() throws(PolicyError) -> EntityUID {
        if current.isSymbol("?") {
            throw .unsupported(current.location, "policy templates (`?principal`, `?resource`) are not supported")
        }
        let location = current.location
        let type = try parsePath("as an entity type")
        guard current.isSymbol("::"), case .string = next.kind else {
            throw .syntax(location, "expected an entity reference `\(type)::\"id\"`")
        }
        advance()
        return EntityUID(type: type, id: try string("as the entity id"))
    }

    /// `Ident {:: Ident}`, stopping before a `::` that is followed by a string.
    private mutating func parsePath(_ context: String) throws(PolicyError) -> String {
        var path = try nonReservedIdentifier(context)
        while current.isSymbol("::"), case .identifier = next.kind {
            advance()
            path += "::" + (try nonReservedIdentifier("in a path"))
        }
        return path
    }

    // MARK: Expressions

    mutating func parseExpression() throws(PolicyError) -> Expression {
        if current.isIdentifier("if") {
            let location = current.location
            advance()
            let condition = try parseExpression()
            guard current.isIdentifier("then") else {
                throw .syntax(current.location, "expected `then`, found \(current.display)")
            }
            advance()
            let then = try parseExpression()
            guard current.isIdentifier("else") else {
                throw .syntax(current.location, "expected `else`, found \(current.display)")
            }
            advance()
            let otherwise = try parseExpression()
            return Expression(.ifThenElse(condition, then, otherwise), at: location)
        }
        return try parseOr()
    }

    private mutating func parseOr() throws(PolicyError) -> Expression {
        var left = try parseAnd()
        while current.isSymbol("||") {
            advance()
            let right = try parseAnd()
            left = Expression(.or(left, right), at: left.location)
        }
        return left
    }

    private mutating func parseAnd() throws(PolicyError) -> Expression {
        var left = try parseRelation()
        while current.isSymbol("&&") {
            advance()
            let right = try parseRelation()
            left = Expression(.and(left, right), at: left.location)
        }
        return left
    }

    private static let relationalSymbols: [String: Expression.BinaryOperator] = [
        "==": .equal, "!=": .notEqual, "<": .less, "<=": .lessOrEqual, ">": .greater, ">=": .greaterOrEqual,
    ]

    private func isRelationalOperator(_ token: Token) -> Bool {
        if case .symbol(let symbol) = token.kind { return Self.relationalSymbols[symbol] != nil }
        return token.isIdentifier("in") || token.isIdentifier("has") || token.isIdentifier("like")
            || token.isIdentifier("is")
    }

    private mutating func parseRelation() throws(PolicyError) -> Expression {
        let left = try parseAdd()
        let location = left.location
        let result: Expression
        if case .symbol(let symbol) = current.kind, let op = Self.relationalSymbols[symbol] {
            advance()
            result = Expression(.binary(op, left, try parseAdd()), at: location)
        } else if current.isIdentifier("in") {
            advance()
            result = Expression(.binary(.in, left, try parseAdd()), at: location)
        } else if current.isIdentifier("has") {
            advance()
            let attribute: String
            if case .string = current.kind {
                attribute = try string("after `has`")
            } else {
                attribute = try nonReservedIdentifier("as an attribute name after `has`")
            }
            if current.isSymbol(".") {
                throw .unsupported(current.location, "`has` on an attribute path (`e has a.b`) is not supported")
            }
            result = Expression(.has(left, attribute), at: location)
        } else if current.isIdentifier("like") {
            advance()
            guard case .string(let raw) = current.kind else {
                throw .syntax(current.location, "expected a string pattern after `like`, found \(current.display)")
            }
            let patternLocation = current.location
            advance()
            result = Expression(.like(left, try StringLiteral.pattern(raw, at: patternLocation)), at: location)
        } else if current.isIdentifier("is") {
            advance()
            let type = try parsePath("as an entity type after `is`")
            var ancestor: Expression?
            if current.isIdentifier("in") {
                advance()
                ancestor = try parseAdd()
            }
            result = Expression(.isType(left, type, ancestor), at: location)
        } else {
            return left
        }
        if isRelationalOperator(current) {
            throw .syntax(
                current.location, "several relational operators (==, <, in, has, like, is ...) need parentheses")
        }
        return result
    }

    private mutating func parseAdd() throws(PolicyError) -> Expression {
        var left = try parseMultiply()
        while current.isSymbol("+") || current.isSymbol("-") {
            let op: Expression.BinaryOperator = current.isSymbol("+") ? .add : .subtract
            advance()
            let right = try parseMultiply()
            left = Expression(.binary(op, left, right), at: left.location)
        }
        return left
    }

    private mutating func parseMultiply() throws(PolicyError) -> Expression {
        var left = try parseUnary()
        while current.isSymbol("*") || current.isSymbol("/") || current.isSymbol("%") {
            if !current.isSymbol("*") {
                throw .syntax(current.location, "Cedar has no `\(current.isSymbol("/") ? "/" : "%")` operator")
            }
            advance()
            let right = try parseUnary()
            left = Expression(.binary(.multiply, left, right), at: left.location)
        }
        return left
    }

    private mutating func parseUnary() throws(PolicyError) -> Expression {
        let location = current.location
        guard current.isSymbol("!") || current.isSymbol("-") else { return try parseMember() }
        let symbol = current.isSymbol("!") ? "!" : "-"
        var count = 0
        while current.isSymbol(symbol) {
            count += 1
            advance()
        }
        if count > 4 { throw .syntax(location, "too many occurrences of `\(symbol)` (at most 4)") }
        if symbol == "-", case .integer(let magnitude) = current.kind, !next.isSymbol("."), !next.isSymbol("[") {
            // Cedar folds one minus into an integer literal, so that -9223372036854775808 is a literal.
            let literalLocation = current.location
            advance()
            let literal: Int64 = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            var expression = Expression(.literal(.long(literal)), at: literalLocation)
            for _ in 1..<count { expression = Expression(.negate(expression), at: location) }
            return expression
        }
        var expression = try parseMember()
        for _ in 0..<count {
            expression = Expression(symbol == "!" ? .not(expression) : .negate(expression), at: location)
        }
        return expression
    }

    private mutating func parseMember() throws(PolicyError) -> Expression {
        var expression = try parsePrimary()
        while true {
            if current.isSymbol(".") {
                advance()
                let location = current.location
                let name = try nonReservedIdentifier("after `.`")
                if current.isSymbol("(") {
                    advance()
                    var arguments: [Expression] = []
                    while !current.isSymbol(")") {
                        arguments.append(try parseExpression())
                        if current.isSymbol(",") { advance() } else { break }
                    }
                    try expect(")", "to close the argument list of `\(name)`")
                    expression = try method(name, on: expression, arguments: arguments, at: location)
                } else {
                    expression = Expression(.attribute(expression, name), at: expression.location)
                }
            } else if current.isSymbol("[") {
                advance()
                let name = try string("as the attribute name in `[...]`")
                try expect("]", "after the attribute name")
                expression = Expression(.attribute(expression, name), at: expression.location)
            } else {
                return expression
            }
        }
    }

    private func method(
        _ name: String, on receiver: Expression, arguments: [Expression], at location: SourceLocation
    ) throws(PolicyError) -> Expression {
        guard Self.supportedMethods.contains(name) else {
            if Self.extensionMethods.contains(name) {
                throw .unsupported(location, "the extension method `\(name)` is not supported")
            }
            throw .syntax(location, "`\(name)` is not a Cedar method")
        }
        if name == "isEmpty" {
            guard arguments.isEmpty else { throw .syntax(location, "`isEmpty` takes no arguments") }
            return Expression(.isEmpty(receiver), at: receiver.location)
        }
        guard arguments.count == 1 else { throw .syntax(location, "`\(name)` takes exactly one argument") }
        let op: Expression.BinaryOperator =
            switch name {
            case "contains": .contains
            case "containsAll": .containsAll
            default: .containsAny
            }
        return Expression(.binary(op, receiver, arguments[0]), at: receiver.location)
    }

    private mutating func parsePrimary() throws(PolicyError) -> Expression {
        let token = current
        let location = token.location
        switch token.kind {
        case .integer(let magnitude):
            guard magnitude <= UInt64(Int64.max) else {
                throw .syntax(location, "integer literal `\(magnitude)` is too large")
            }
            advance()
            return Expression(.literal(.long(Int64(magnitude))), at: location)
        case .string(let raw):
            advance()
            return Expression(.literal(.string(try StringLiteral.decode(raw, at: location))), at: location)
        case .symbol("("):
            advance()
            let inner = try parseExpression()
            try expect(")", "to close the parenthesis")
            return inner
        case .symbol("["):
            advance()
            var elements: [Expression] = []
            while !current.isSymbol("]") {
                elements.append(try parseExpression())
                if current.isSymbol(",") { advance() } else { break }
            }
            try expect("]", "to close the set")
            return Expression(.set(elements), at: location)
        case .symbol("{"):
            advance()
            var fields: [(String, Expression)] = []
            var names: Set<String> = []
            while !current.isSymbol("}") {
                let keyLocation = current.location
                let key: String
                if case .string = current.kind {
                    key = try string("as a record key")
                } else {
                    key = try nonReservedIdentifier("as a record key")
                }
                if !names.insert(key).inserted { throw .syntax(keyLocation, "duplicate key `\(key)` in a record") }
                try expect(":", "after the record key")
                fields.append((key, try parseExpression()))
                if current.isSymbol(",") { advance() } else { break }
            }
            try expect("}", "to close the record")
            return Expression(.record(fields), at: location)
        case .symbol("?"):
            throw .unsupported(location, "policy templates (`?principal`, `?resource`) are not supported")
        case .identifier(let name):
            switch name {
            case "true", "false":
                advance()
                return Expression(.literal(.bool(name == "true")), at: location)
            case "principal", "action", "resource", "context":
                if !next.isSymbol("::") {
                    advance()
                    return Expression(.variable(Expression.Variable(rawValue: name)!), at: location)
                }
            default:
                break
            }
            let path = try parsePath("in an expression")
            if current.isSymbol("(") {
                throw .unsupported(location, "the extension function `\(path)(...)` is not supported")
            }
            guard current.isSymbol("::"), case .string = next.kind else {
                throw .syntax(location, "unknown identifier `\(path)` (expected a variable or `Type::\"id\"`)")
            }
            advance()
            let id = try string("as the entity id")
            return Expression(.literal(.entity(EntityUID(type: path, id: id))), at: location)
        default:
            throw .syntax(location, "expected an expression, found \(token.display)")
        }
    }
}
