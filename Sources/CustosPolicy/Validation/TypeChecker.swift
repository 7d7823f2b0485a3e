/// Type-checks one policy's conditions in one request environment (principal type, action, resource type).
struct TypeChecker {
    /// The request environment.
    struct Environment {
        let principal: String
        let action: Schema.Action
        let resource: String
    }

    /// A type error at a place in the policy.
    struct Failure: Error {
        let location: SourceLocation
        let message: String
    }

    /// The result of checking an expression: its type and the attributes known to exist when it is true.
    struct Typed {
        let type: ValueType
        var capabilities: Set<String> = []
    }

    let schema: Schema
    let environment: Environment

    func checkCondition(_ expression: Expression) throws(Failure) {
        let typed = try check(expression, [])
        guard typed.type == .bool else {
            throw Failure(location: expression.location, message: "a condition must be Bool, this is \(typed.type)")
        }
    }

    private func path(_ expression: Expression) -> String? {
        switch expression.kind {
        case .variable(let variable): return variable.rawValue
        case .literal(.entity(let uid)): return uid.description
        case .attribute(let base, let name): return path(base).map { "\($0).\(name)" }
        default: return nil
        }
    }

    private func expect(_ expected: ValueType, _ expression: Expression, _ capabilities: Set<String>)
        throws(Failure) -> Typed
    {
        let typed = try check(expression, capabilities)
        guard typed.type == expected else {
            throw Failure(location: expression.location, message: "expected \(expected), found \(typed.type)")
        }
        return typed
    }

    private func entityTypes(_ expression: Expression, _ capabilities: Set<String>) throws(Failure) -> [String] {
        let typed = try check(expression, capabilities)
        guard case .entity(let types) = typed.type else {
            throw Failure(location: expression.location, message: "expected an entity, found \(typed.type)")
        }
        return types
    }

    private func checkAncestor(_ expression: Expression, _ capabilities: Set<String>) throws(Failure) {
        let typed = try check(expression, capabilities)
        switch typed.type {
        case .entity, .set(.entity): return
        default:
            throw Failure(
                location: expression.location,
                message: "the right side of `in` must be an entity or a set of entities, found \(typed.type)")
        }
    }

    private func checkEntityLiteral(_ uid: EntityUID, at location: SourceLocation) throws(Failure) {
        if uid.isAction {
            guard uid.type == "Action", schema.actions[uid.id] != nil else {
                throw Failure(location: location, message: "unknown action \(uid)")
            }
        } else if schema.entityTypes[uid.type] == nil {
            throw Failure(location: location, message: "unknown entity type `\(uid.type)`")
        }
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    func check(_ expression: Expression, _ capabilities: Set<String>) throws(Failure) -> Typed {
        let location = expression.location
        switch expression.kind {
        case .literal(let value):
            switch value {
            case .bool: return Typed(type: .bool)
            case .long: return Typed(type: .long)
            case .string: return Typed(type: .string)
            case .entity(let uid):
                try checkEntityLiteral(uid, at: location)
                return Typed(type: .entity([uid.type]))
            case .set, .record:
                throw Failure(location: location, message: "unexpected literal")
            }
        case .variable(let variable):
            switch variable {
            case .principal: return Typed(type: .entity([environment.principal]))
            case .resource: return Typed(type: .entity([environment.resource]))
            case .action: return Typed(type: .entity(["Action"]))
            case .context: return Typed(type: ValueType(environment.action.context))
            }
        case .not(let operand):
            _ = try expect(.bool, operand, capabilities)
            return Typed(type: .bool)
        case .negate(let operand):
            _ = try expect(.long, operand, capabilities)
            return Typed(type: .long)
        case .and(let left, let right):
            let first = try expect(.bool, left, capabilities)
            let second = try expect(.bool, right, capabilities.union(first.capabilities))
            return Typed(type: .bool, capabilities: first.capabilities.union(second.capabilities))
        case .or(let left, let right):
            let first = try expect(.bool, left, capabilities)
            let second = try expect(.bool, right, capabilities)
            return Typed(type: .bool, capabilities: first.capabilities.intersection(second.capabilities))
        case .ifThenElse(let condition, let then, let otherwise):
            let test = try expect(.bool, condition, capabilities)
            let first = try check(then, capabilities.union(test.capabilities))
            let second = try check(otherwise, capabilities)
            guard let type = ValueType.leastUpperBound(first.type, second.type) else {
                throw Failure(
                    location: location, message: "the branches have different types: \(first.type) and \(second.type)")
            }
            return Typed(
                type: type, capabilities: test.capabilities.union(first.capabilities).intersection(second.capabilities))
        case .binary(let op, let left, let right):
            return try checkBinary(op, left, right, capabilities, at: location)
        case .isEmpty(let operand):
            let typed = try check(operand, capabilities)
            guard case .set = typed.type else {
                throw Failure(location: operand.location, message: "`isEmpty` needs a set, found \(typed.type)")
            }
            return Typed(type: .bool)
        case .has(let operand, let name):
            let typed = try check(operand, capabilities)
            switch typed.type {
            case .entity, .record: break
            default:
                throw Failure(
                    location: operand.location, message: "`has` needs an entity or a record, found \(typed.type)")
            }
            return Typed(type: .bool, capabilities: path(operand).map { ["\($0).\(name)"] } ?? [])
        case .attribute(let operand, let name):
            return Typed(type: try checkAttribute(operand, name, capabilities))
        case .like(let operand, _):
            _ = try expect(.string, operand, capabilities)
            return Typed(type: .bool)
        case .isType(let operand, let type, let ancestor):
            _ = try entityTypes(operand, capabilities)
            guard type == "Action" || schema.entityTypes[type] != nil else {
                throw Failure(location: location, message: "unknown entity type `\(type)` after `is`")
            }
            if let ancestor { try checkAncestor(ancestor, capabilities) }
            return Typed(type: .bool)
        case .set(let elements):
            guard let first = elements.first else {
                throw Failure(
                    location: location, message: "an empty set literal has no element type; it is not allowed")
            }
            var type = try check(first, capabilities).type
            for element in elements.dropFirst() {
                let next = try check(element, capabilities).type
                guard let merged = ValueType.leastUpperBound(type, next) else {
                    throw Failure(
                        location: element.location, message: "set elements have different types: \(type) and \(next)")
                }
                type = merged
            }
            return Typed(type: .set(type))
        case .record(let fields):
            var types: [String: ValueType.Field] = [:]
            for (name, value) in fields {
                types[name] = ValueType.Field(type: try check(value, capabilities).type, isRequired: true)
            }
            return Typed(type: .record(types))
        }
    }

    private func checkAttribute(_ operand: Expression, _ name: String, _ capabilities: Set<String>) throws(Failure)
        -> ValueType
    {
        let typed = try check(operand, capabilities)
        let guarded = path(operand).map { capabilities.contains("\($0).\(name)") } ?? false
        switch typed.type {
        case .entity(let types):
            var result: ValueType?
            for type in types {
                guard let attribute = schema.entityTypes[type]?.attributes.attributes[name] else {
                    throw Failure(
                        location: operand.location, message: "entity type `\(type)` has no attribute `\(name)`")
                }
                if !attribute.isRequired, !guarded {
                    throw Failure(
                        location: operand.location,
                        message: "attribute `\(name)` of `\(type)` is optional; test it with `has` first")
                }
                let attributeType = ValueType(attribute.type)
                guard let merged = result.map({ ValueType.leastUpperBound($0, attributeType) }) ?? attributeType else {
                    throw Failure(location: operand.location, message: "attribute `\(name)` has different types")
                }
                result = merged
            }
            guard let result else { throw Failure(location: operand.location, message: "no entity type") }
            return result
        case .record(let fields):
            guard let field = fields[name] else {
                throw Failure(
                    location: operand.location, message: "the record \(typed.type) has no attribute `\(name)`")
            }
            if !field.isRequired, !guarded {
                throw Failure(
                    location: operand.location, message: "attribute `\(name)` is optional; test it with `has` first")
            }
            return field.type
        default:
            throw Failure(
                location: operand.location, message: "only entities and records have attributes, found \(typed.type)")
        }
    }

    private func checkBinary(
        _ op: Expression.BinaryOperator, _ left: Expression, _ right: Expression, _ capabilities: Set<String>,
        at location: SourceLocation
    ) throws(Failure) -> Typed {
        switch op {
        case .equal, .notEqual:
            let a = try check(left, capabilities).type
            let b = try check(right, capabilities).type
            guard ValueType.leastUpperBound(a, b) != nil else {
                throw Failure(
                    location: location, message: "`\(op.rawValue)` compares \(a) with \(b), which is never equal")
            }
            return Typed(type: .bool)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            _ = try expect(.long, left, capabilities)
            _ = try expect(.long, right, capabilities)
            return Typed(type: .bool)
        case .add, .subtract, .multiply:
            _ = try expect(.long, left, capabilities)
            _ = try expect(.long, right, capabilities)
            return Typed(type: .long)
        case .in:
            _ = try entityTypes(left, capabilities)
            try checkAncestor(right, capabilities)
            return Typed(type: .bool)
        case .contains:
            let receiver = try check(left, capabilities).type
            guard case .set(let element) = receiver else {
                throw Failure(location: left.location, message: "`contains` needs a set, found \(receiver)")
            }
            let argument = try check(right, capabilities).type
            guard ValueType.leastUpperBound(element, argument) != nil else {
                throw Failure(location: right.location, message: "a \(receiver) never contains a \(argument)")
            }
            return Typed(type: .bool)
        case .containsAll, .containsAny:
            let receiver = try check(left, capabilities).type
            let argument = try check(right, capabilities).type
            guard case .set(let a) = receiver, case .set(let b) = argument else {
                throw Failure(
                    location: location, message: "`\(op.rawValue)` needs two sets, found \(receiver) and \(argument)")
            }
            guard ValueType.leastUpperBound(a, b) != nil else {
                throw Failure(location: location, message: "`\(op.rawValue)` compares \(receiver) with \(argument)")
            }
            return Typed(type: .bool)
        }
    }
}
