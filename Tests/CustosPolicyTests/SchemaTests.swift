import CustosPolicy
import Testing

/// Schema parsing: entity types, common types, action groups and contexts.
@Suite("Schema")
struct SchemaTests {
    static let text = """
        type Info = { level: Long, team?: String };
        entity Group;
        entity User in [Group] = { name: String, age?: Long, info: Info, tags: Set<String>, boss?: User };
        entity Doc { owner: User };
        action "readOnly";
        action read, "write" in ["readOnly"] appliesTo { principal: [User], resource: Doc, context: { flag: Bool } };
        action admin in [Action::"readOnly"] appliesTo { principal: User, resource: [Doc, User] };
        """

    @Test("entity types, attributes, common types and actions")
    func parses() throws {
        let schema = try Schema(parsing: Self.text)
        #expect(Set(schema.entityTypes.keys) == ["Group", "User", "Doc"])
        let user = try #require(schema.entityTypes["User"])
        #expect(user.memberOf == ["Group"])
        #expect(user.attributes.attributes["age"]?.isRequired == false)
        #expect(user.attributes.attributes["info"]?.type.description == "{level: Long, team?: String}")
        #expect(schema.actions["write"]?.principals == ["User"])
        #expect(schema.actions["admin"]?.resources == ["Doc", "User"])
        #expect(schema.action("write", isIn: "readOnly"))
        #expect(!schema.action("readOnly", isIn: "write"))
        #expect(schema.entityType("User", mayBeIn: "Group"))
        #expect(schema.actionEntities.count == 4)
    }

    @Test(
        "unsupported or inconsistent schemas are rejected with their place",
        arguments: [
            "namespace Custos { entity A; }", "entity A tags String;", "entity A enum [\"x\"];",
            "entity A = { at: datetime };", "entity A in [B];", "entity A; entity A;", "entity A = { x: Unknown };",
            "action a appliesTo { principal: [A], resource: [A] };", "action a in [\"b\"];",
            "entity A; action a appliesTo { principal: [A] };", "entity A = { x: Long, x: Long };",
            "action a in [\"b\"]; action b in [\"a\"];",
        ])
    func rejects(_ text: String) {
        #expect {
            _ = try Schema(parsing: text)
        } throws: { error in
            guard let error = error as? PolicyError, case .schema = error else { return false }
            return true
        }
    }
}
