import CustosPolicy

/// Requests for every action of the shipped schema, with principals of the same tenant, another tenant, each scope
/// and each role, against resources of both tenants.
enum ShippedRequests {
    static func actionItems(_ schema: Schema) -> [String] {
        schema.actionEntities.map { action in
            JSONText.object([
                ("uid", JSONText.uid(type: "Action", id: action.uid.id)), ("attrs", "{}"),
                (
                    "parents",
                    JSONText.array(
                        action.parents.sorted { $0.id < $1.id }.map { JSONText.uid(type: "Action", id: $0.id) })
                ),
            ])
        }
    }

    static func entitiesJSON(_ schema: Schema) -> String {
        JSONText.array(TenantWorld.entityItems() + actionItems(schema))
    }

    /// The principals tried on every action.
    static var principals: [(type: String, id: String)] {
        var result: [(String, String)] = TenantWorld.keys(of: "acme").map { ("ApiKey", $0.id) }
        result.append(("ApiKey", "globex-all"))
        result.append(("ApiKey", "acme-ghost"))
        for role in TenantWorld.roles + ["User2"] { result.append(("Identity", TenantWorld.identity("acme", role))) }
        result.append(("Identity", TenantWorld.identity("globex", "Admin")))
        result.append(("Identity", "did:acme:unregistered"))
        result.append(("Administrator", "adm_1"))
        return result
    }

    private static func scope(of action: Schema.Action, _ schema: Schema) -> String? {
        TenantWorld.scopes.first { schema.action(action.uid.id, isIn: $0) }
    }

    /// The contexts tried for `action` with `principal`.
    static func contexts(_ action: Schema.Action, principal: (type: String, id: String), _ schema: Schema) -> [String] {
        let fields = action.context.attributes
        guard fields["key"] != nil else { return ["{}"] }
        var keys: [String]
        if principal.type == "ApiKey" {
            keys = [principal.id, "acme-all"]
        } else {
            keys = ["acme-all", "acme-none", "globex-all"]
            if let scope = scope(of: action, schema) { keys.append("acme-\(scope)") }
        }
        var contexts: [String] = []
        for key in Set(keys).sorted() {
            let keyField = ("key", TenantWorld.ref("ApiKey", key))
            if fields["subscription"] != nil {
                contexts.append(JSONText.object([keyField]))
                guard principal.type == "Identity", key == "acme-all" else { continue }
                for subscription in TenantWorld.resources(ofType: "Subscription")
                where !subscription.hasPrefix("globex")
                    || subscription == "globex-user2-read-true"
                {
                    contexts.append(
                        JSONText.object([keyField, ("subscription", TenantWorld.ref("Subscription", subscription))]))
                }
            } else if fields["changesRole"] != nil {
                contexts.append(JSONText.object([keyField, ("changesRole", "false")]))
                contexts.append(JSONText.object([keyField, ("changesRole", "true")]))
            } else if fields["initiatorVerified"] != nil {
                contexts.append(JSONText.object([keyField, ("initiatorVerified", "false")]))
                contexts.append(JSONText.object([keyField, ("initiatorVerified", "true")]))
            } else {
                contexts.append(JSONText.object([keyField]))
            }
        }
        return contexts
    }

    /// One oracle case per action of the schema.
    static func cases(policies: String, schema: Schema) -> [OracleCase] {
        let entities = entitiesJSON(schema)
        var cases: [OracleCase] = []
        for action in schema.actions.values.sorted(by: { $0.uid.id < $1.uid.id }) where !action.principals.isEmpty {
            var requests: [OracleCase.RequestText] = []
            for principal in principals {
                for resourceType in action.resources {
                    for resource in TenantWorld.resources(ofType: resourceType) {
                        for context in contexts(action, principal: principal, schema) {
                            requests.append(
                                OracleCase.RequestText(
                                    principal: principal, action: ("Action", action.uid.id),
                                    resource: (resourceType, resource), contextJSON: context))
                        }
                    }
                }
            }
            cases.append(
                OracleCase(
                    label: "action \(action.uid.id)", policies: policies, entitiesJSON: entities, requests: requests))
        }
        return cases
    }
}
