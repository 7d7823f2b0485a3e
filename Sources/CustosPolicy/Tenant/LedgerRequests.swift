/// The policy request of a tenant API ledger route, with the entities it refers to, as the gateway asks it and
/// as `custosctl policies test` rehearses it.
public enum LedgerRequests {
    /// Every API key scope.
    public static let allScopes = [
        "ledger:read", "ledger:write", "channels:read", "channels:write", "identities:read", "identities:write",
        "credentials:read", "credentials:write", "tenant-admin", "verify",
    ]

    /// The proof kind of each proof route.
    static let proofKinds = [
        "getReceipt": "receipt", "getCheckpoint": "checkpoint", "getConsistency": "consistency",
        "listMilestones": "milestone", "getLatestMilestone": "milestone", "getTile": "tile",
    ]

    /// The ledger actions of the tenant API, and the key-only administration of the tenant's own policies and
    /// the view of its usage.
    public static let actions: [String] =
        [
            "createLedgerMessage", "listLedgerMessages", "getLedger", "getLedgerMessage", "getOwnPolicies",
            "putOwnPolicies", "getUsage", "listOwnKeys", "createOwnKey", "revokeOwnKey", "rotateOwnKey",
        ] + proofKinds.keys.sorted()

    /// The request of `action` by key `keyID` of `tenant` (with `scopes`) at `unixTime`, on entry `messageID`
    /// where the route names one, writing `tag` on the write route; nil for an action that is not a ledger route.
    public static func request(
        _ action: String, tenant: String, keyID: String, scopes: [String] = allScopes, messageID: String = "",
        tag: String = "", unixTime: Int
    ) -> (request: Request, entities: [Entity])? {
        let base = TenantKeyEntities(tenant: tenant, keyID: keyID, scopes: scopes)
        let (tenantUID, key) = (base.tenant, base.key)
        let ledger = EntityUID(type: "Ledger", id: tenant)
        var entities =
            base.entities + [Entity(uid: ledger, attributes: ["tenant": .entity(tenantUID)], parents: [tenantUID])]
        let resource: EntityUID
        var context: [String: Value] = ["key": .entity(key), "time": RequestTime.value(unixSeconds: unixTime)]
        switch action {
        case "createLedgerMessage":
            resource = ledger
            context["tag"] = .string(tag)
        case "listLedgerMessages", "getLedger":
            resource = ledger
        case "getOwnPolicies", "putOwnPolicies", "getUsage", "listOwnKeys", "createOwnKey", "revokeOwnKey",
            "rotateOwnKey":
            resource = tenantUID
        case "getLedgerMessage":
            resource = EntityUID(type: "LedgerEntry", id: messageID)
            entities.append(Entity(uid: resource, attributes: ["tenant": .entity(tenantUID)], parents: [ledger]))
        default:
            guard let kind = proofKinds[action] else { return nil }
            resource = EntityUID(type: "Proof", id: action)
            entities.append(
                Entity(
                    uid: resource, attributes: ["tenant": .entity(tenantUID), "kind": .string(kind)], parents: [ledger])
            )
        }
        return (
            Request(
                principal: key, action: EntityUID(type: "Action", id: action), resource: resource, context: context),
            entities
        )
    }
}
