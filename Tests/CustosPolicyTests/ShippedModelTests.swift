import CustosPolicy
import Testing

/// The documented model of the shipped policies, decided by CustosPolicy alone (no cedarpy needed).
@Suite("Shipped policy model")
struct ShippedModelTests {
    let policies: PolicySet
    let entities: Entities
    let schema: Schema

    init() throws {
        schema = try ShippedPolicies.schema
        policies = try ShippedPolicies.policies
        entities = try Entities(json: ShippedRequests.entitiesJSON(schema))
    }

    private func decide(
        _ principal: (String, String), _ action: String, _ resource: (String, String), key: String? = nil,
        _ extra: [String: Value] = [:]
    ) -> Decision {
        var context = extra
        if let key { context["key"] = .entity(EntityUID(type: "ApiKey", id: key)) }
        let request = Request(
            principal: EntityUID(type: principal.0, id: principal.1), action: EntityUID(type: "Action", id: action),
            resource: EntityUID(type: resource.0, id: resource.1), context: context)
        return Authorizer.isAuthorized(request, policies: policies, entities: entities)
    }

    private static let ledgerRoutes: [(String, String, String)] = [
        ("createLedgerMessage", "Ledger", ""), ("listLedgerMessages", "Ledger", ""), ("getLedger", "Ledger", ""),
        ("getLedgerMessage", "LedgerEntry", "-msg"), ("getReceipt", "Proof", "-receipt"),
        ("getCheckpoint", "Proof", "-checkpoint"), ("getConsistency", "Proof", "-checkpoint"),
        ("listMilestones", "Proof", "-checkpoint"), ("getLatestMilestone", "Proof", "-checkpoint"),
        ("getTile", "Proof", "-checkpoint"),
    ]

    @Test("a key with every scope can call the whole ledger API of its own tenant, and nothing of another")
    func keyWithAllScopes() {
        for (action, type, suffix) in Self.ledgerRoutes {
            let own = decide(("ApiKey", "acme-all"), action, (type, "acme\(suffix)"), key: "acme-all")
            #expect(own.isAllowed, "\(action)")
            #expect(own.reasons == ["ledger/api-key"])
            #expect(own.failures.isEmpty)
            let other = decide(("ApiKey", "acme-all"), action, (type, "globex\(suffix)"), key: "acme-all")
            #expect(!other.isAllowed, "\(action)")
            #expect(other.reasons == ["tenant-isolation/resource"])
        }
    }

    /// The ledger routes of the verify scope, which ledger:read includes.
    static let verificationRoutes: Set = [
        "getLedger", "getReceipt", "getCheckpoint", "getConsistency", "listMilestones", "getLatestMilestone", "getTile",
    ]

    @Test("a key needs the scope of the action's group", arguments: TenantWorld.scopes)
    func scopes(_ scope: String) {
        for (action, type, suffix) in Self.ledgerRoutes {
            let decision = decide(("ApiKey", "acme-\(scope)"), action, (type, "acme\(suffix)"), key: "acme-\(scope)")
            let verification = Self.verificationRoutes.contains(action)
            let needed = action == "createLedgerMessage" ? "ledger:write" : "ledger:read"
            let allowed = scope == needed || (verification && scope == "verify")
            #expect(decision.isAllowed == allowed, "\(action) with \(scope)")
            if !allowed { #expect(decision.reasons == ["key-scopes/\(needed)"]) }
        }
        let none = decide(("ApiKey", "acme-none"), "getLedger", ("Ledger", "acme"), key: "acme-none")
        #expect(!none.isAllowed)
    }

    @Test("a key cannot act as another key, and a key missing from the entities is denied (fail closed)")
    func keyConfusion() {
        #expect(!decide(("ApiKey", "acme-all"), "getLedger", ("Ledger", "acme"), key: "globex-all").isAllowed)
        let ghost = decide(("ApiKey", "acme-ghost"), "getLedger", ("Ledger", "acme"), key: "acme-ghost")
        #expect(!ghost.isAllowed)
        #expect(!ghost.failures.isEmpty)
    }

    @Test("identities act only through a key of their own tenant")
    func identityTenant() {
        let admin = ("Identity", "did:globex:admin")
        #expect(decide(admin, "createChannel", ("Tenant", "globex"), key: "globex-all").isAllowed)
        #expect(!decide(admin, "createChannel", ("Tenant", "acme"), key: "acme-all").isAllowed)
        #expect(!decide(admin, "createChannel", ("Tenant", "globex"), key: "acme-all").isAllowed)
        #expect(!decide(("Identity", "did:acme:user"), "createChannel", ("Tenant", "acme"), key: "acme-none").isAllowed)
    }

    @Test("identity updates: self or Admin; only an Admin changes a role")
    func identityRoles() {
        let user = ("Identity", "did:acme:user")
        let admin = ("Identity", "did:acme:admin")
        let manager = ("Identity", "did:acme:manager")
        let noRole: [String: Value] = ["changesRole": .bool(false)]
        let role: [String: Value] = ["changesRole": .bool(true)]
        #expect(decide(user, "updateIdentity", user, key: "acme-all", noRole).isAllowed)
        #expect(!decide(user, "updateIdentity", admin, key: "acme-all", noRole).isAllowed)
        #expect(decide(admin, "updateIdentity", user, key: "acme-all", role).isAllowed)
        let promotion = decide(user, "updateIdentity", user, key: "acme-all", role)
        #expect(!promotion.isAllowed)
        #expect(promotion.reasons == ["identities/role-change-needs-admin"])
        #expect(!decide(manager, "deleteIdentity", user, key: "acme-all").isAllowed)
        #expect(decide(admin, "deleteIdentity", user, key: "acme-all").isAllowed)
        #expect(decide(admin, "addTrustedRoot", ("TrustedRoot", "acme-root"), key: "acme-all").isAllowed)
        #expect(!decide(manager, "addTrustedRoot", ("TrustedRoot", "acme-root"), key: "acme-all").isAllowed)
    }

    @Test("credentials: Admin and Manager issue; a User needs a verified initiatorVC; revoke by subject or Manager")
    func credentials() {
        let verified: [String: Value] = ["initiatorVerified": .bool(true)]
        let unverified: [String: Value] = ["initiatorVerified": .bool(false)]
        for role in ["admin", "manager"] {
            #expect(
                decide(
                    ("Identity", "did:acme:\(role)"), "createCredential", ("Tenant", "acme"), key: "acme-all",
                    unverified
                ).isAllowed)
        }
        #expect(
            !decide(("Identity", "did:acme:user"), "createCredential", ("Tenant", "acme"), key: "acme-all", unverified)
                .isAllowed)
        #expect(
            decide(("Identity", "did:acme:user"), "createCredential", ("Tenant", "acme"), key: "acme-all", verified)
                .isAllowed)
        let credential = ("Credential", "acme-cred")
        #expect(decide(("Identity", "did:acme:user"), "revokeCredential", credential, key: "acme-all").isAllowed)
        #expect(decide(("Identity", "did:acme:manager"), "revokeCredential", credential, key: "acme-all").isAllowed)
        #expect(!decide(("Identity", "did:acme:user2"), "revokeCredential", credential, key: "acme-all").isAllowed)
    }

    @Test("channels: hidden info, authors, subscriptions and access rights")
    func channels() {
        let author = ("Identity", "did:acme:user")
        let listed = ("Identity", "did:acme:user2")
        let manager = ("Identity", "did:acme:manager")
        let admin = ("Identity", "did:acme:admin")
        let hidden = ("Channel", "acme-hidden")
        let open = ("Channel", "acme-open")
        #expect(decide(manager, "getChannelInfo", open, key: "acme-all").isAllowed)
        #expect(!decide(manager, "getChannelInfo", hidden, key: "acme-all").isAllowed)
        for identity in [author, listed, admin] {
            #expect(decide(identity, "getChannelInfo", hidden, key: "acme-all").isAllowed)
        }
        #expect(decide(admin, "updateChannelInfo", open, key: "acme-all").isAllowed)
        #expect(!decide(manager, "updateChannelInfo", open, key: "acme-all").isAllowed)
        #expect(decide(author, "authorizeSubscription", open, key: "acme-all").isAllowed)
        #expect(!decide(admin, "authorizeSubscription", open, key: "acme-all").isAllowed)

        func subscription(_ id: String) -> [String: Value] {
            ["subscription": .entity(EntityUID(type: "Subscription", id: id))]
        }
        #expect(
            decide(manager, "writeChannelLog", open, key: "acme-all", subscription("acme-manager-write-true")).isAllowed
        )
        #expect(
            !decide(manager, "readChannelLogs", open, key: "acme-all", subscription("acme-manager-write-true"))
                .isAllowed)
        #expect(
            decide(listed, "readChannelLogs", open, key: "acme-all", subscription("acme-user2-read-true")).isAllowed)
        #expect(
            decide(listed, "readChannelLogs", open, key: "acme-all", subscription("acme-user2-audit-true")).isAllowed)
        #expect(
            !decide(listed, "writeChannelLog", open, key: "acme-all", subscription("acme-user2-read-true")).isAllowed)
        // Someone else's subscription, an unauthorized one, or none at all grant nothing.
        #expect(
            !decide(manager, "readChannelLogs", open, key: "acme-all", subscription("acme-user2-read-true")).isAllowed)
        #expect(
            !decide(admin, "writeChannelLog", open, key: "acme-all", subscription("acme-admin-readandwrite-false"))
                .isAllowed)
        #expect(!decide(author, "writeChannelLog", open, key: "acme-all").isAllowed)
        let sub = ("Subscription", "acme-user2-read-true")
        #expect(decide(listed, "deleteSubscription", sub, key: "acme-all").isAllowed)
        #expect(decide(author, "deleteSubscription", sub, key: "acme-all").isAllowed)
        #expect(!decide(manager, "deleteSubscription", sub, key: "acme-all").isAllowed)
    }

    @Test("the admin API is for administrators only, and administrators do not get the tenant API")
    func admin() {
        for action in ["listTenants", "createTenant"] {
            #expect(decide(("Administrator", "adm_1"), action, ("Platform", "custos")).isAllowed)
            let key = decide(("ApiKey", "acme-all"), action, ("Platform", "custos"), key: "acme-all")
            #expect(!key.isAllowed)
            #expect(key.reasons == ["admin/only-administrators"])
        }
        #expect(decide(("Administrator", "adm_1"), "revokeKey", ("ApiKey", "acme-all")).isAllowed)
        #expect(!decide(("Administrator", "adm_1"), "getLedger", ("Ledger", "acme"), key: "acme-all").isAllowed)
    }
}
