/// A fixed world of two tenants (`acme`, `globex`) with keys of every scope, identities of every role, and one
/// resource of every type per tenant, for testing the shipped policies.
enum TenantWorld {
    static let tenants = ["acme", "globex"]
    static let scopes = [
        "ledger:read", "ledger:write", "channels:read", "channels:write", "identities:read", "identities:write",
        "credentials:read", "credentials:write", "tenant-admin", "verify",
    ]
    static let roles = ["Admin", "Manager", "User"]

    static func uid(_ type: String, _ id: String) -> String { JSONText.uid(type: type, id: id) }
    static func ref(_ type: String, _ id: String) -> String { JSONText.object([("__entity", uid(type, id))]) }

    private static func entity(_ type: String, _ id: String, _ attrs: [(String, String)], parents: [(String, String)])
        -> String
    {
        JSONText.object([
            ("uid", uid(type, id)), ("attrs", JSONText.object(attrs)),
            ("parents", JSONText.array(parents.map { uid($0.0, $0.1) })),
        ])
    }

    /// Key ids of a tenant: one with every scope, one per scope, one with none.
    static func keys(of tenant: String) -> [(id: String, scopes: [String])] {
        [("\(tenant)-all", scopes), ("\(tenant)-none", [])] + scopes.map { ("\(tenant)-\($0)", [$0]) }
    }

    static func identity(_ tenant: String, _ role: String) -> String { "did:\(tenant):\(role.lowercased())" }

    /// The entities (without actions), as Cedar JSON items.
    static func entityItems() -> [String] {
        var items: [String] = []
        items.append(entity("Platform", "custos", [], parents: []))
        items.append(entity("Administrator", "adm_1", [], parents: []))
        for tenant in tenants {
            let owner = [("Tenant", tenant)]
            let tenantRef = ("tenant", ref("Tenant", tenant))
            items.append(entity("Tenant", tenant, [("status", JSONText.string("active"))], parents: []))
            for key in keys(of: tenant) {
                items.append(
                    entity(
                        "ApiKey", key.id,
                        [tenantRef, ("scopes", JSONText.array(key.scopes.map(JSONText.string)))], parents: owner))
            }
            for role in roles + ["User2"] {
                items.append(
                    entity(
                        "Identity", identity(tenant, role),
                        [tenantRef, ("role", JSONText.string(role == "User2" ? "User" : role))], parents: owner))
            }
            let author = ref("Identity", identity(tenant, "User"))
            items.append(entity("Ledger", tenant, [tenantRef], parents: owner))
            items.append(entity("LedgerEntry", "\(tenant)-msg", [tenantRef], parents: [("Ledger", tenant)]))
            items.append(
                entity(
                    "Proof", "\(tenant)-receipt", [tenantRef, ("kind", JSONText.string("receipt"))],
                    parents: [("Ledger", tenant), ("LedgerEntry", "\(tenant)-msg")]))
            items.append(
                entity(
                    "Proof", "\(tenant)-checkpoint", [tenantRef, ("kind", JSONText.string("checkpoint"))],
                    parents: [("Ledger", tenant)]))
            for (suffix, hidden) in [("open", false), ("hidden", true)] {
                items.append(
                    entity(
                        "Channel", "\(tenant)-\(suffix)",
                        [
                            tenantRef, ("author", author), ("type", JSONText.string("private")),
                            ("hidden", hidden ? "true" : "false"),
                            ("visibilityList", JSONText.array([ref("Identity", identity(tenant, "User2"))])),
                        ], parents: owner))
            }
            for (subscriber, rights, authorized) in [
                ("User2", "Read", true), ("Manager", "Write", true), ("Admin", "ReadAndWrite", false),
                ("User", "ReadAndWrite", true), ("User2", "Audit", true),
            ] {
                let id = "\(tenant)-\(subscriber.lowercased())-\(rights.lowercased())-\(authorized)"
                items.append(
                    entity(
                        "Subscription", id,
                        [
                            tenantRef, ("channel", ref("Channel", "\(tenant)-open")),
                            ("subscriber", ref("Identity", identity(tenant, subscriber))),
                            ("accessRights", JSONText.string(rights)), ("isAuthorized", authorized ? "true" : "false"),
                        ], parents: [("Channel", "\(tenant)-open")]))
            }
            items.append(
                entity(
                    "Credential", "\(tenant)-cred",
                    [tenantRef, ("subject", ref("Identity", identity(tenant, "User")))],
                    parents: owner))
            items.append(entity("TrustedRoot", "\(tenant)-root", [tenantRef], parents: owner))
            items.append(entity("CoordinatorKey", "\(tenant)-coord", [tenantRef], parents: owner))
        }
        return items
    }

    /// The ids of the world's entities of `type`.
    static func resources(ofType type: String) -> [String] {
        switch type {
        case "Platform": ["custos"]
        case "Tenant", "Ledger": tenants
        case "LedgerEntry": tenants.map { "\($0)-msg" }
        case "Proof": tenants.flatMap { ["\($0)-receipt", "\($0)-checkpoint"] }
        case "Channel": tenants.flatMap { ["\($0)-open", "\($0)-hidden"] } + ["acme-missing"]
        case "Subscription":
            tenants.flatMap { tenant in
                [
                    "\(tenant)-user2-read-true", "\(tenant)-manager-write-true", "\(tenant)-admin-readandwrite-false",
                    "\(tenant)-user-readandwrite-true", "\(tenant)-user2-audit-true",
                ]
            }
        case "Identity": tenants.flatMap { tenant in (roles + ["User2"]).map { identity(tenant, $0) } }
        case "Credential": tenants.map { "\($0)-cred" }
        case "TrustedRoot": tenants.map { "\($0)-root" }
        case "CoordinatorKey": tenants.map { "\($0)-coord" }
        case "ApiKey": ["acme-all", "globex-all"]
        default: []
        }
    }
}
