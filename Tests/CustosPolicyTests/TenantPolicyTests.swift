import CustosPolicy
import Testing

/// Tenant policies added after the base: the examples of docs/policies.md §6, and what they cannot override.
@Suite("Tenant policies")
struct TenantPolicyTests {
    static let examples = """
        // Only Admins may delete identities in this tenant (the base also lets an identity delete itself).
        @id("acme/only-admins-delete-identities")
        forbid (principal is Identity, action == Action::"deleteIdentity", resource)
        unless { principal.role == "Admin" };

        // Managers may manage trusted roots too (the base allows Admins only).
        @id("acme/managers-manage-trusted-roots")
        permit (principal is Identity, action in [Action::"addTrustedRoot", Action::"removeTrustedRoot"], resource)
        when { principal.role == "Manager" };
        """

    let schema: Schema
    let entities: Entities

    init() throws {
        schema = try ShippedPolicies.schema
        entities = try Entities(json: ShippedRequests.entitiesJSON(schema))
    }

    private func combined(_ text: String) throws -> PolicySet {
        let tenant = try PolicySet(parsing: text)
        try Validator.validate(tenant, against: schema)
        return try PolicySet(try ShippedPolicies.policies.policies + tenant.policies)
    }

    private func request(_ principal: (String, String), _ action: String, _ resource: (String, String), key: String)
        -> Request
    {
        Request(
            principal: EntityUID(type: principal.0, id: principal.1), action: EntityUID(type: "Action", id: action),
            resource: EntityUID(type: resource.0, id: resource.1),
            context: ["key": .entity(EntityUID(type: "ApiKey", id: key))])
    }

    @Test("the documented examples validate and do what they say")
    func examples() throws {
        let policies = try combined(Self.examples)
        let user = ("Identity", "did:acme:user")
        let selfDelete = Authorizer.isAuthorized(
            request(user, "deleteIdentity", user, key: "acme-all"), policies: policies, entities: entities)
        #expect(!selfDelete.isAllowed)
        #expect(selfDelete.reasons == ["acme/only-admins-delete-identities"])
        let admin = ("Identity", "did:acme:admin")
        #expect(
            Authorizer.isAuthorized(
                request(admin, "deleteIdentity", user, key: "acme-all"), policies: policies, entities: entities
            ).isAllowed)
        let manager = ("Identity", "did:acme:manager")
        let root = Authorizer.isAuthorized(
            request(manager, "addTrustedRoot", ("TrustedRoot", "acme-root"), key: "acme-all"), policies: policies,
            entities: entities)
        #expect(root.isAllowed)
        #expect(root.reasons == ["acme/managers-manage-trusted-roots"])
        // ... but not in another tenant, nor without the scope.
        #expect(
            !Authorizer.isAuthorized(
                request(manager, "addTrustedRoot", ("TrustedRoot", "globex-root"), key: "acme-all"),
                policies: policies, entities: entities
            ).isAllowed)
        let unscoped = Authorizer.isAuthorized(
            request(manager, "addTrustedRoot", ("TrustedRoot", "acme-root"), key: "acme-identities:read"),
            policies: policies, entities: entities)
        #expect(!unscoped.isAllowed)
        #expect(unscoped.reasons == ["key-scopes/identities:write"])
    }

    @Test("a tenant permit of everything gets past neither key scopes nor the admin API guard")
    func permitAll() throws {
        let policies = try combined("@id(\"acme/everything\") permit (principal, action, resource);")
        let unscoped = Authorizer.isAuthorized(
            request(("ApiKey", "acme-none"), "getLedger", ("Ledger", "acme"), key: "acme-none"), policies: policies,
            entities: entities)
        #expect(!unscoped.isAllowed)
        #expect(unscoped.reasons == ["key-scopes/ledger:read"])
        let admin = Authorizer.isAuthorized(
            request(("ApiKey", "acme-all"), "createTenant", ("Platform", "custos"), key: "acme-all"),
            policies: policies, entities: entities)
        #expect(!admin.isAllowed)
        #expect(admin.reasons == ["admin/only-administrators"])
    }

    @Test("a tenant policy with an unknown action or attribute is rejected before use")
    func rejected() throws {
        for text in [
            "permit (principal, action == Action::\"dropTables\", resource);",
            "permit (principal is Identity, action == Action::\"getIdentity\", resource) when { principal.level > 1 };",
            "forbid (principal, action in Action::\"tenantApi\", resource) when { context.subscription.isAuthorized };",
        ] {
            #expect(throws: PolicyError.self) { try Validator.validate(try PolicySet(parsing: text), against: schema) }
        }
    }
}
