/// One `permit` or `forbid` policy.
public struct Policy: Sendable {
    /// Whether a satisfied policy allows or denies.
    public enum Effect: String, Sendable, Hashable {
        /// Allows, unless a forbid policy is also satisfied.
        case permit
        /// Denies, overriding every permit.
        case forbid
    }

    /// A scope constraint on the principal or the resource.
    public enum EntityConstraint: Sendable, Hashable {
        /// No constraint.
        case any
        /// `== E`
        case equal(EntityUID)
        /// `in E`: equal to E or a descendant of it.
        case `in`(EntityUID)
        /// `is T`, optionally with `in E`.
        case isType(String, in: EntityUID?)
    }

    /// A scope constraint on the action.
    public enum ActionConstraint: Sendable, Hashable {
        /// No constraint.
        case any
        /// `action == A`
        case equal(EntityUID)
        /// `action in A` or `action in [A, B]`: one of them or a member of one of their groups.
        case `in`([EntityUID])
    }

    /// A `when` (must be true) or `unless` (must be false) condition.
    public struct Condition: Sendable {
        /// `true` for `when`, `false` for `unless`.
        public let isWhen: Bool
        /// The condition.
        public let expression: Expression
    }

    /// The policy's id: its `@id` annotation, or `policyN` for the N-th policy of its text (from 0), as Cedar does.
    public let id: String
    /// Its effect.
    public let effect: Effect
    /// The principal constraint.
    public let principal: EntityConstraint
    /// The action constraint.
    public let action: ActionConstraint
    /// The resource constraint.
    public let resource: EntityConstraint
    /// The conditions, in order.
    public let conditions: [Condition]
    /// Its annotations, such as `@id("...")` or `@reason("...")`.
    public let annotations: [String: String]
    /// Where the policy starts.
    public let location: SourceLocation
}
