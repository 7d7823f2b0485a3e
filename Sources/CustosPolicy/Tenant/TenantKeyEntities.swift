/// The entities every tenant API request starts from: the tenant, active, and the API key that authenticated the
/// request, in it, with its scopes.
struct TenantKeyEntities {
    let tenant: EntityUID
    let key: EntityUID
    let entities: [Entity]

    init(tenant id: String, keyID: String, scopes: [String]) {
        tenant = EntityUID(type: "Tenant", id: id)
        key = EntityUID(type: "ApiKey", id: keyID)
        entities = [
            Entity(uid: tenant, attributes: ["status": .string("active")]),
            Entity(
                uid: key, attributes: ["tenant": .entity(tenant), "scopes": .set(Set(scopes.map(Value.string)))],
                parents: [tenant]),
        ]
    }
}
