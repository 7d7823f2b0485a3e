/// A Cedar expression, as parsed, with the location of every node.
public struct Expression: Sendable {
    /// A variable of the request.
    public enum Variable: String, Sendable, Hashable {
        /// The principal entity.
        case principal
        /// The action entity.
        case action
        /// The resource entity.
        case resource
        /// The context record.
        case context
    }

    /// A binary operator other than `&&` and `||`.
    public enum BinaryOperator: String, Sendable, Hashable {
        /// `==`
        case equal = "=="
        /// `!=`
        case notEqual = "!="
        /// `<`
        case less = "<"
        /// `<=`
        case lessOrEqual = "<="
        /// `>`
        case greater = ">"
        /// `>=`
        case greaterOrEqual = ">="
        /// `+`
        case add = "+"
        /// `-`
        case subtract = "-"
        /// `*`
        case multiply = "*"
        /// `in` (hierarchy membership)
        case `in` = "in"
        /// `.contains(x)`
        case contains = "contains"
        /// `.containsAll(x)`
        case containsAll = "containsAll"
        /// `.containsAny(x)`
        case containsAny = "containsAny"
    }

    /// The shape of an expression.
    public indirect enum Kind: Sendable {
        /// A literal value (bool, long, string or entity).
        case literal(Value)
        /// `principal`, `action`, `resource` or `context`.
        case variable(Variable)
        /// `!e`
        case not(Expression)
        /// `-e`
        case negate(Expression)
        /// `a && b`, short-circuiting.
        case and(Expression, Expression)
        /// `a || b`, short-circuiting.
        case or(Expression, Expression)
        /// `if c then a else b`
        case ifThenElse(Expression, Expression, Expression)
        /// A binary operator or a set method with one argument.
        case binary(BinaryOperator, Expression, Expression)
        /// `e.isEmpty()`
        case isEmpty(Expression)
        /// `e has attr`
        case has(Expression, String)
        /// `e.attr` or `e["attr"]`
        case attribute(Expression, String)
        /// `e like "pattern"`
        case like(Expression, Pattern)
        /// `e is Type`, or `e is Type in other`.
        case isType(Expression, String, Expression?)
        /// `[a, b, ...]`
        case set([Expression])
        /// `{a: x, "b": y}`
        case record([(String, Expression)])
    }

    /// The expression.
    public let kind: Kind
    /// Where it starts in the policy text.
    public let location: SourceLocation

    /// Creates an expression node.
    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}
