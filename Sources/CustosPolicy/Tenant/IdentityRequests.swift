/// The policy request of a tenant API identity route (SSI Bridge, is-api.md §1.2), with the entities it refers
/// to, as the gateway asks it and as `custosctl policies test` rehearses it.
public enum IdentityRequests {
    /// What the gateway knows about one identity request before asking the policies.
    public struct Facts: Sendable {
        /// The tenant.
        public var tenant: String
        /// The API key's public id and scopes.
        public var keyID: String
        public var scopes: [String]
        /// The DID of the identity whose JWT came with the request, with its current role.
        public var identity: (did: String, role: String)?
        /// The DID, trusted root or credential subject the route addresses, if any.
        public var resource: String?
        /// PUT /identities/identity: whether the body sets `role`.
        public var changesRole: Bool
        /// POST /verification/create-credential: whether the initiatorVC passed every check.
        public var initiatorVerified: Bool
        /// When the request came, in seconds since 1970.
        public var unixTime: Int

        /// Creates facts.
        public init(
            tenant: String, keyID: String, scopes: [String], unixTime: Int,
            identity: (did: String, role: String)? = nil,
            resource: String? = nil, changesRole: Bool = false, initiatorVerified: Bool = false
        ) {
            self.unixTime = unixTime
            self.tenant = tenant
            self.keyID = keyID
            self.scopes = scopes
            self.identity = identity
            self.resource = resource
            self.changesRole = changesRole
            self.initiatorVerified = initiatorVerified
        }
    }

    /// Routes whose principal is the API key; the rest need an identity's JWT (an API key with the
    /// `tenant-admin` scope may also update identities, to appoint the first Admin).
    public static let keyActions: Set<String> = [
        "getOwnershipNonce", "proveOwnership", "verifyJwt", "createKeyPair", "createIdentity", "addIdentity",
        "getLatestDocument", "listTrustedRoots", "checkCredential", "checkPresentation",
    ]

    /// Routes with an identity as principal.
    public static let identityActions: Set<String> = [
        "searchIdentities", "getIdentity", "updateIdentity", "deleteIdentity", "addTrustedRoot", "removeTrustedRoot",
        "createCredential", "revokeCredential",
    ]

    /// The request of `action`, or nil for an action that is not an identity route or has no principal (an
    /// identity route without a JWT).
    public static func request(_ action: String, _ facts: Facts) -> (request: Request, entities: [Entity])? {
        let base = TenantKeyEntities(tenant: facts.tenant, keyID: facts.keyID, scopes: facts.scopes)
        let (tenant, key) = (base.tenant, base.key)
        var entities = base.entities
        let principal: EntityUID
        if identityActions.contains(action), let identity = facts.identity {
            principal = EntityUID(type: "Identity", id: identity.did)
            entities.append(
                Entity(
                    uid: principal, attributes: ["tenant": .entity(tenant), "role": .string(identity.role)],
                    parents: [tenant]))
        } else if keyActions.contains(action) || action == "updateIdentity" {
            principal = key
        } else {
            return nil
        }
        func identity(_ did: String) -> EntityUID {
            let uid = EntityUID(type: "Identity", id: did)
            if !entities.contains(where: { $0.uid == uid }) {
                entities.append(
                    Entity(
                        uid: uid, attributes: ["tenant": .entity(tenant), "role": .string("User")], parents: [tenant]))
            }
            return uid
        }
        let resource: EntityUID
        var context: [String: Value] = [
            "key": .entity(key), "time": RequestTime.value(unixSeconds: facts.unixTime),
        ]
        switch action {
        case "getLatestDocument", "getIdentity", "deleteIdentity":
            resource = identity(facts.resource ?? "")
        case "updateIdentity":
            resource = identity(facts.resource ?? "")
            context["changesRole"] = .bool(facts.changesRole)
        case "addTrustedRoot", "removeTrustedRoot":
            resource = EntityUID(type: "TrustedRoot", id: facts.resource ?? "")
            entities.append(Entity(uid: resource, attributes: ["tenant": .entity(tenant)], parents: [tenant]))
        case "revokeCredential":
            resource = EntityUID(type: "Credential", id: "credential")
            let subject = identity(facts.resource ?? "")
            entities.append(
                Entity(
                    uid: resource, attributes: ["tenant": .entity(tenant), "subject": .entity(subject)],
                    parents: [tenant]))
        case "createCredential":
            resource = tenant
            context["initiatorVerified"] = .bool(facts.initiatorVerified)
        default:
            resource = tenant
        }
        return (
            Request(
                principal: principal, action: EntityUID(type: "Action", id: action), resource: resource,
                context: context),
            entities
        )
    }
}
