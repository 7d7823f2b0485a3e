import CustosPolicy
import Testing

/// Validation against a schema: unknown names and type errors are rejected before a policy is used.
@Suite("Validation")
struct ValidatorTests {
    static let schema = try! Schema(parsing: SchemaTests.text)

    static func problems(_ text: String) throws -> [PolicyError] {
        Validator.problems(try PolicySet(parsing: text), against: schema)
    }

    @Test(
        "well-typed policies pass",
        arguments: [
            "permit(principal, action, resource);",
            "permit(principal is User, action == Action::\"read\", resource) when { context.flag && resource.owner == principal };",
            "permit(principal in Group::\"g\", action in Action::\"readOnly\", resource) when { principal has age && principal.age > 18 };",
            "permit(principal, action == Action::\"admin\", resource is User) when { resource has boss && resource.boss.name like \"B*\" };",
            "permit(principal, action, resource) when { principal.info has team ? false : true };".replacingOccurrences(
                of: " ? false : true", with: " || principal.info.level > 2"),
            "permit(principal, action, resource) when { if principal has age then principal.age > 1 else true };",
            "permit(principal, action == Action::\"read\", resource) when { principal.tags.containsAny([\"a\"]) && [principal, resource.owner].contains(principal) };",
            "forbid(principal, action == Action::\"read\", resource) unless { principal in resource.owner };",
        ])
    func passes(_ text: String) throws {
        let problems = try Self.problems(text)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test(
        "policies that do not conform are rejected, naming the policy and the place",
        arguments: [
            ("permit(principal, action, resource) when { principal.age > 1 };", "optional"),
            ("permit(principal, action, resource) when { principal.nope };", "no attribute"),
            ("permit(principal == Nobody::\"x\", action, resource);", "unknown entity type"),
            ("permit(principal, action == Action::\"fly\", resource);", "unknown action"),
            ("permit(principal, action, resource) when { principal.name == 1 };", "never equal"),
            ("permit(principal, action, resource) when { principal.name > 1 };", "expected Long"),
            ("permit(principal, action, resource) when { 1 };", "must be Bool"),
            ("permit(principal, action, resource) when { [].isEmpty() };", "empty set"),
            ("permit(principal, action, resource) when { principal.tags.contains(1) };", "never contains"),
            ("permit(principal is Group, action, resource);", "matches no request"),
            ("permit(principal, action == Action::\"read\", resource) when { context.other };", "no attribute"),
            ("permit(principal, action, resource) when { Nobody::\"x\" in principal };", "unknown entity type"),
            ("permit(principal, action, resource) when { 1 in principal };", "expected an entity"),
            ("permit(principal, action, resource) when { principal.info.team == \"red\" };", "optional"),
        ])
    func rejects(_ text: String, _ fragment: String) throws {
        let problems = try Self.problems(text)
        #expect(problems.count == 1)
        guard let problem = problems.first, case .validation(let policy, let location, let message) = problem else {
            Issue.record("expected a validation problem")
            return
        }
        #expect(policy == "policy0")
        #expect(location.line == 1)
        #expect(message.contains(fragment), "\(message)")
        #expect(throws: PolicyError.self) { try Validator.validate(try PolicySet(parsing: text), against: Self.schema) }
    }
}
