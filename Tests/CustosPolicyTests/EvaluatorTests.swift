import CustosPolicy
import Testing

/// One test per construct of the subset, with the answers cedarpy gives.
@Suite("Evaluation of each construct")
struct EvaluatorTests {
    @Test(
        "conditions that hold, fail or raise an error",
        arguments: [
            // literals, equality, records and sets
            ("true", true), ("false", false), ("1 == 1", true), ("1 == \"1\"", false), ("\"a\" != \"b\"", true),
            ("[1, 1, 2] == [2, 1]", true), ("{a: 1, b: 2} == {b: 2, a: 1}", true), ("{a: 1} == {a: 1, b: 2}", false),
            ("[1, [2]].contains([2])", true), ("User::\"alice\" == principal", true),
            // arithmetic and comparison
            ("1 + 2 * 3 == 7", true), ("1 - 2 - 3 == -4", true), ("-9223372036854775808 < 0", true),
            ("--1 == 1", true), ("3 >= 3 && 2 > 1 && 1 <= 1 && 0 < 1", true),
            // logic, short-circuit and if
            ("!false", true), ("true || 1", true), ("false && 1", false), ("if 1 < 2 then true else 1", true),
            // attributes and has
            ("principal.name == \"Alice\"", true), ("principal[\"age\"] == 30", true),
            ("principal.info.team == \"red\"", true),
            ("principal has name", true), ("principal has missing", false), ("User::\"nobody\" has name", false),
            ("principal.info has level", true), ("context has x", false), ("principal.boss.name == \"Bob\"", true),
            // hierarchy
            ("principal in Group::\"staff\"", true), ("principal in Group::\"all\"", true),
            ("principal in principal", true),
            ("principal in [Group::\"none\", Group::\"all\"]", true), ("resource in Folder::\"f1\"", true),
            ("Group::\"all\" in principal", false), ("action in Action::\"readOnly\"", true),
            ("User::\"ghost\" in User::\"ghost\"", true), ("User::\"ghost\" in Group::\"all\"", false),
            // is
            ("principal is User", true), ("resource is User", false), ("principal is User in Group::\"all\"", true),
            ("resource is User in 1", false),
            // like
            ("\"a*b\" like \"a\\*b\"", true), ("\"ab\" like \"a\\*b\"", false), ("\"a\\\\b\" like \"a\\\\*\"", true),
            ("\"abc\" like \"a*\"", true),
            ("\"abc\" like \"*b*\"", true), ("\"abc\" like \"*d*\"", false), ("\"\" like \"*\"", true),
            ("\"a\\nb\" like \"a?b\"", false), ("\"é\" like \"?\"", false), ("\"é\" like \"*\"", true),
            // set methods
            ("principal.tags.contains(\"a\")", true), ("principal.tags.containsAll([\"a\", \"b\"])", true),
            ("principal.tags.containsAll([\"a\", \"c\"])", false), ("principal.tags.containsAny([\"c\", \"b\"])", true),
            ("[].isEmpty()", true), ("principal.tags.isEmpty()", false),
            // strings
            ("\"\\u{41}\" == \"A\"", true), ("\"\\\"\" == \"\\u{22}\"", true),
        ] as [(String, Bool)])
    func holds(_ text: String, _ expected: Bool) throws {
        #expect(try Evaluate.condition(text) == expected, "\(text)")
    }

    @Test(
        "evaluation errors skip the policy",
        arguments: [
            "1 + 9223372036854775807 > 0", "-(-9223372036854775807 - 1) == 0", "9223372036854775807 * 2 == 0",
            "\"a\" < \"b\"", "if 1 then true else false", "false || 1", "!1", "principal.missing",
            "User::\"nobody\".name == \"x\"", "1 in Group::\"all\"", "principal in [Group::\"all\", 1]",
            "principal in 1", "1 has a", "1 like \"*\"", "[1].containsAll(2)", "1.contains(1)", "context.x",
            "principal.tags", "{a: 1}.b", "(1).isEmpty()", "-\"a\" == 1",
        ])
    func errors(_ text: String) throws {
        #expect(try Evaluate.condition(text) == nil, "\(text)")
    }

    @Test("context values reach conditions")
    func context() throws {
        let context: [String: Value] = [
            "flag": .bool(true), "n": .long(5), "who": .entity(Evaluate.principal),
            "rec": .record(["x": .set([.string("a")])]),
        ]
        #expect(try Evaluate.condition("context.flag && context.n == 5", context: context) == true)
        #expect(try Evaluate.condition("context.who.name == \"Alice\"", context: context) == true)
        #expect(try Evaluate.condition("context.rec.x.contains(\"a\")", context: context) == true)
        #expect(try Evaluate.condition("context == {}", context: [:]) == true)
    }

    @Test("patterns match scalars one by one, `*` matches any run, escaped `\\*` only a star")
    func patterns() throws {
        let pattern = Pattern(elements: [.scalar("a"), .wildcard, .scalar("*"), .wildcard])
        #expect(pattern.matches("a*"))
        #expect(pattern.matches("axx*yy"))
        #expect(!pattern.matches("axx"))
        #expect(pattern.source == "a*\\**")
    }
}
