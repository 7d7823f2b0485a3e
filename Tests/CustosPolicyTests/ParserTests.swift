import CustosPolicy
import Testing

/// Parsing: the subset is accepted, everything else is rejected with its line and column.
@Suite("Parsing")
struct ParserTests {
    @Test("policies, annotations, ids and scopes")
    func parses() throws {
        let set = try PolicySet(
            parsing: """
                // a comment
                @id("first") @reason("why")
                permit (principal == User::"a", action in [Action::"x", Action::"y"], resource is Doc in Folder::"f");
                forbid (principal, action, resource) unless { context.flag };
                """)
        #expect(set.policies.map(\.id) == ["first", "policy1"])
        #expect(set.policies[0].annotations["reason"] == "why")
        #expect(set.policies[0].principal == .equal(EntityUID(type: "User", id: "a")))
        #expect(
            set.policies[0].action == .in([EntityUID(type: "Action", id: "x"), EntityUID(type: "Action", id: "y")]))
        #expect(set.policies[0].resource == .isType("Doc", in: EntityUID(type: "Folder", id: "f")))
        #expect(set.policies[1].effect == .forbid)
        #expect(set.policies[1].location == SourceLocation(line: 4, column: 1))
        #expect(set.policy(withID: "first") != nil)
    }

    @Test(
        "Cedar outside the subset is rejected as unsupported, with its place",
        arguments: [
            ("permit(principal, action, resource) when { ip(\"1.2.3.4\").isIpv4() };", "extension function"),
            ("permit(principal, action, resource) when { context.d.lessThan(context.e) };", "extension method"),
            ("permit(principal == ?principal, action, resource);", "templates"),
            ("permit(principal, action, resource) when { principal.hasTag(\"x\") };", "extension method"),
            ("permit(principal, action, resource) when { principal has a.b };", "attribute path"),
        ])
    func unsupported(_ text: String, _ fragment: String) {
        #expect {
            _ = try PolicySet(parsing: text)
        } throws: { error in
            guard let error = error as? PolicyError, case .unsupported(let location, let message) = error else {
                return false
            }
            return location.line == 1 && location.column > 1 && message.contains(fragment)
        }
    }

    @Test(
        "invalid Cedar is a syntax error, with its place",
        arguments: [
            "permit(principal, action, resource) when { 1 == 1 == true };",
            "permit(principal, action, resource) when { 9223372036854775808 > 0 };",
            "permit(principal, action, resource) when { !!!!!true };",
            "permit(principal, action == User::\"r\", resource);",
            "permit(principal, action, resource) when { principal.if };",
            "permit(principal, action, resource) when { {a: 1, a: 2} == {} };",
            "@id(\"a\") @id(\"b\") permit(principal, action, resource);",
            "@id(\"a\") permit(principal, action, resource); @id(\"a\") permit(principal, action, resource);",
            "permit(principal, action, resource) when { \"\\*\" == \"*\" };",
            "permit(principal, action, resource) when { true && if true then true else false };",
            "permit(principal, action, resource) when { 1 / 2 == 0 };",
            "permit(principal, action, resource) when { };",
            "permit(principal, action, resource)",
            "allow(principal, action, resource);",
            "permit(principal in [User::\"a\"], action, resource);",
            "permit(principal, action, resource) when { \"unterminated };",
        ])
    func syntax(_ text: String) {
        #expect {
            _ = try PolicySet(parsing: text)
        } throws: { error in
            guard let error = error as? PolicyError, case .syntax(let location, _) = error else { return false }
            return location.line >= 1 && error.description.hasPrefix("\(location.line):\(location.column)")
        }
    }

    @Test("messages name the line and column")
    func messages() {
        #expect {
            _ = try PolicySet(
                parsing: "permit(principal, action, resource);\npermit(principal, action, resource) when { 1 +  };")
        } throws: { error in
            "\(error)".hasPrefix("2:49: syntax error: expected an expression")
        }
    }
}
