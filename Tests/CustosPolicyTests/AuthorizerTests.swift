import CustosPolicy
import Testing

/// Adversarial tests of the decision rules: forbid overrides permit, default deny, errors skip a policy.
@Suite("Authorization decisions")
struct AuthorizerTests {
    @Test("no policy, or no applicable policy, denies by default with no reasons")
    func defaultDeny() throws {
        let empty = try Evaluate.decision("")
        #expect(empty.effect == .deny && empty.reasons.isEmpty && empty.failures.isEmpty)
        let other = try Evaluate.decision("permit(principal == User::\"bob\", action, resource);")
        #expect(!other.isAllowed && other.reasons.isEmpty)
    }

    @Test("a satisfied forbid overrides every permit, and only forbids are the reasons")
    func forbidWins() throws {
        let decision = try Evaluate.decision(
            """
            @id("allow-all") permit(principal, action, resource);
            @id("allow-staff") permit(principal in Group::"staff", action, resource);
            @id("deny-read") forbid(principal, action == Action::"read", resource);
            """)
        #expect(decision.effect == .deny)
        #expect(decision.reasons == ["deny-read"])
    }

    @Test("an allow lists every satisfied permit, in order")
    func allowReasons() throws {
        let decision = try Evaluate.decision(
            """
            permit(principal, action, resource);
            permit(principal, action in Action::"readOnly", resource) when { principal.age > 18 };
            permit(principal, action, resource) when { false };
            """)
        #expect(decision.isAllowed)
        #expect(decision.reasons == ["policy0", "policy1"])
    }

    @Test("a forbid whose condition errors is skipped, reported, and does not deny")
    func erroringForbid() throws {
        let decision = try Evaluate.decision(
            """
            @id("p") permit(principal, action, resource);
            @id("f") forbid(principal, action, resource) when { principal.missing == 1 };
            """)
        #expect(decision.isAllowed)
        #expect(decision.reasons == ["p"])
        #expect(decision.failures.map(\.policy) == ["f"])
        #expect(decision.errors[0].contains("does not have the attribute `missing`"))
    }

    @Test("a permit whose condition errors is skipped: deny, with the error")
    func erroringPermit() throws {
        let decision = try Evaluate.decision("permit(principal, action, resource) when { 1 + \"a\" == 2 };")
        #expect(!decision.isAllowed)
        #expect(decision.reasons.isEmpty)
        #expect(decision.failures.count == 1)
    }

    @Test("`unless` must be false; several conditions must all hold")
    func conditions() throws {
        #expect(try Evaluate.decision("permit(principal, action, resource) unless { false };").isAllowed)
        #expect(!(try Evaluate.decision("permit(principal, action, resource) unless { true };").isAllowed))
        #expect(
            try Evaluate.decision("permit(principal, action, resource) when { true } unless { false } when { 1 == 1 };")
                .isAllowed)
        #expect(!(try Evaluate.decision("permit(principal, action, resource) when { true } when { false };").isAllowed))
    }

    @Test("scope constraints: ==, in, is, is-in, action lists")
    func scopes() throws {
        let allowed = [
            "permit(principal == User::\"alice\", action == Action::\"read\", resource == Doc::\"d1\");",
            "permit(principal in Group::\"all\", action in Action::\"readOnly\", resource in Folder::\"f1\");",
            "permit(principal is User, action in [Action::\"write\", Action::\"read\"], resource is Doc);",
            "permit(principal is User in Group::\"staff\", action, resource is Doc in Folder::\"f1\");",
        ]
        for text in allowed { #expect(try Evaluate.decision(text).isAllowed, "\(text)") }
        let denied = [
            "permit(principal == User::\"bob\", action, resource);",
            "permit(principal is Group, action, resource);",
            "permit(principal is User in Group::\"other\", action, resource);",
            "permit(principal, action in [Action::\"write\"], resource);",
        ]
        for text in denied { #expect(!(try Evaluate.decision(text).isAllowed), "\(text)") }
    }

    @Test("a cross-tenant request is denied by tenant isolation even when a tenant policy permits everything")
    func crossTenant() throws {
        let schema = try ShippedPolicies.schema
        let tenantPolicy = try PolicySet(parsing: "@id(\"tenant/open\") permit(principal, action, resource);")
        let combined = try PolicySet(try ShippedPolicies.policies.policies + tenantPolicy.policies)
        let entities = try Entities(json: ShippedRequests.entitiesJSON(schema))
        let request = Request(
            principal: EntityUID(type: "ApiKey", id: "acme-all"),
            action: EntityUID(type: "Action", id: "getLedgerMessage"),
            resource: EntityUID(type: "LedgerEntry", id: "globex-msg"),
            context: ["key": .entity(EntityUID(type: "ApiKey", id: "acme-all"))])
        let decision = Authorizer.isAuthorized(request, policies: combined, entities: entities)
        #expect(!decision.isAllowed)
        #expect(decision.reasons == ["tenant-isolation/resource"])
    }

    @Test("`action == G` matches only G itself, `action in G` also its members (regression, seed 0xC0570500)")
    func actionEqualsGroup() throws {
        #expect(!(try Evaluate.decision("permit(principal, action == Action::\"readOnly\", resource);").isAllowed))
        #expect(try Evaluate.decision("permit(principal, action in Action::\"readOnly\", resource);").isAllowed)
        #expect(
            try Evaluate.decision("permit(principal, action in [Action::\"x\", Action::\"readOnly\"], resource);")
                .isAllowed)
        let both = try Evaluate.decision(
            """
            permit(principal, action == Action::"read", resource);
            permit(principal, action in [Action::"read", Action::"readOnly"], resource);
            permit(principal, action, resource);
            """)
        #expect(both.reasons == ["policy0", "policy1", "policy2"])
    }
}
