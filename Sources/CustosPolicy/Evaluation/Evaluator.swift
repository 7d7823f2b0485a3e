/// An error raised while evaluating one policy's condition; the policy is skipped.
struct EvaluationError: Error, Sendable {
    let message: String
}

/// Evaluates expressions for one request against one entity store.
struct Evaluator: Sendable {
    let request: Request
    let entities: Entities
    private let principal: Value
    private let action: Value
    private let resource: Value
    private let context: Value

    init(request: Request, entities: Entities) {
        self.request = request
        self.entities = entities
        principal = .entity(request.principal)
        action = .entity(request.action)
        resource = .entity(request.resource)
        context = .record(request.context)
    }

    /// Whether `uid` satisfies a principal or resource scope constraint.
    func matches(_ constraint: Policy.EntityConstraint, _ uid: EntityUID) -> Bool {
        switch constraint {
        case .any: true
        case .equal(let other): uid == other
        case .in(let ancestor): entities.isDescendant(uid, of: ancestor)
        case .isType(let type, let ancestor):
            uid.type == type && (ancestor.map { entities.isDescendant(uid, of: $0) } ?? true)
        }
    }

    func evaluate(_ expression: Expression) throws(EvaluationError) -> Value {
        switch expression.kind {
        case .literal(let value):
            return value
        case .variable(let variable):
            switch variable {
            case .principal: return principal
            case .action: return action
            case .resource: return resource
            case .context: return context
            }
        case .not(let operand):
            return .bool(!(try bool(operand)))
        case .negate(let operand):
            let value = try long(operand)
            guard value != Int64.min else {
                throw EvaluationError(message: "integer overflow while attempting to negate the value `\(value)`")
            }
            return .long(-value)
        case .and(let left, let right):
            guard try bool(left) else { return .bool(false) }
            return .bool(try bool(right))
        case .or(let left, let right):
            if try bool(left) { return .bool(true) }
            return .bool(try bool(right))
        case .ifThenElse(let condition, let then, let otherwise):
            return try bool(condition) ? try evaluate(then) : try evaluate(otherwise)
        case .binary(let op, let left, let right):
            return try binary(op, try evaluate(left), try evaluate(right))
        case .isEmpty(let operand):
            guard case .set(let elements) = try evaluate(operand) else {
                throw Self.typeError(expected: "set", got: try evaluate(operand))
            }
            return .bool(elements.isEmpty)
        case .has(let operand, let name):
            switch try evaluate(operand) {
            case .entity(let uid): return .bool(entities.entry(uid)?.attributes[name] != nil)
            case .record(let fields): return .bool(fields[name] != nil)
            case let other: throw Self.typeError(expected: "one of [record, entity]", got: other)
            }
        case .attribute(let operand, let name):
            switch try evaluate(operand) {
            case .entity(let uid):
                guard let stored = entities.entry(uid) else {
                    throw EvaluationError(message: "entity `\(uid)` does not exist")
                }
                guard let value = stored.attributes[name] else {
                    throw EvaluationError(message: "`\(uid)` does not have the attribute `\(name)`")
                }
                return value
            case .record(let fields):
                guard let value = fields[name] else {
                    throw EvaluationError(message: "record does not have the attribute `\(name)`")
                }
                return value
            case let other:
                throw Self.typeError(expected: "one of [record, entity]", got: other)
            }
        case .like(let operand, let pattern):
            guard case .string(let text) = try evaluate(operand) else {
                throw Self.typeError(expected: "string", got: try evaluate(operand))
            }
            return .bool(pattern.matches(text))
        case .isType(let operand, let type, let ancestor):
            guard case .entity(let uid) = try evaluate(operand) else {
                throw Self.typeError(expected: "entity", got: try evaluate(operand))
            }
            guard uid.type == type else { return .bool(false) }
            guard let ancestor else { return .bool(true) }
            return try binary(.in, .entity(uid), try evaluate(ancestor))
        case .set(let elements):
            var set: Set<Value> = []
            set.reserveCapacity(elements.count)
            for element in elements { set.insert(try evaluate(element)) }
            return .set(set)
        case .record(let fields):
            var record: [String: Value] = [:]
            record.reserveCapacity(fields.count)
            for (name, element) in fields { record[name] = try evaluate(element) }
            return .record(record)
        }
    }

    private func bool(_ expression: Expression) throws(EvaluationError) -> Bool {
        guard case .bool(let value) = try evaluate(expression) else {
            throw Self.typeError(expected: "bool", got: try evaluate(expression))
        }
        return value
    }

    private func long(_ expression: Expression) throws(EvaluationError) -> Int64 {
        guard case .long(let value) = try evaluate(expression) else {
            throw Self.typeError(expected: "long", got: try evaluate(expression))
        }
        return value
    }

    private func binary(_ op: Expression.BinaryOperator, _ left: Value, _ right: Value) throws(EvaluationError)
        -> Value
    {
        switch op {
        case .equal: return .bool(left == right)
        case .notEqual: return .bool(left != right)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard case .long(let a) = left else { throw Self.typeError(expected: "long", got: left) }
            guard case .long(let b) = right else { throw Self.typeError(expected: "long", got: right) }
            switch op {
            case .less: return .bool(a < b)
            case .lessOrEqual: return .bool(a <= b)
            case .greater: return .bool(a > b)
            default: return .bool(a >= b)
            }
        case .add, .subtract, .multiply:
            guard case .long(let a) = left else { throw Self.typeError(expected: "long", got: left) }
            guard case .long(let b) = right else { throw Self.typeError(expected: "long", got: right) }
            let (result, overflow): (Int64, Bool) =
                switch op {
                case .add: a.addingReportingOverflow(b)
                case .subtract: a.subtractingReportingOverflow(b)
                default: a.multipliedReportingOverflow(by: b)
                }
            if overflow {
                let verb = op == .add ? "add" : op == .subtract ? "subtract" : "multiply"
                throw EvaluationError(
                    message: "integer overflow while attempting to \(verb) the values `\(a)` and `\(b)`")
            }
            return .long(result)
        case .in:
            guard case .entity(let uid) = left else { throw Self.typeError(expected: "entity", got: left) }
            switch right {
            case .entity(let ancestor):
                return .bool(entities.isDescendant(uid, of: ancestor))
            case .set(let elements):
                var ancestors: [EntityUID] = []
                ancestors.reserveCapacity(elements.count)
                for element in elements {
                    guard case .entity(let ancestor) = element else {
                        throw Self.typeError(expected: "entity", got: element)
                    }
                    ancestors.append(ancestor)
                }
                return .bool(ancestors.contains { entities.isDescendant(uid, of: $0) })
            default:
                throw Self.typeError(expected: "one of [set, entity]", got: right)
            }
        case .contains:
            guard case .set(let elements) = left else { throw Self.typeError(expected: "set", got: left) }
            return .bool(elements.contains(right))
        case .containsAll, .containsAny:
            guard case .set(let elements) = left else { throw Self.typeError(expected: "set", got: left) }
            guard case .set(let others) = right else { throw Self.typeError(expected: "set", got: right) }
            return .bool(op == .containsAll ? others.isSubset(of: elements) : !others.isDisjoint(with: elements))
        }
    }

    private static func typeError(expected: String, got value: Value) -> EvaluationError {
        EvaluationError(message: "type error: expected \(expected), got \(value.typeName)")
    }
}
