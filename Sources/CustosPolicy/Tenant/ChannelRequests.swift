/// The policy request of a tenant API channel route (Audit Trail, is-api.md §1.1), with the entities it refers to,
/// as the gateway asks it and as `custosctl policies test` rehearses it.
public enum ChannelRequests {
    /// A channel as the policies see it.
    public struct Channel: Sendable {
        /// The channel address.
        public var address: String
        /// The author's DID.
        public var author: String
        /// `public`, `private` or `privatePlus`.
        public var type: String
        public var hidden: Bool
        /// The DIDs that may see the channel while it is hidden.
        public var visibilityList: [String]

        /// Creates a channel.
        public init(address: String, author: String, type: String, hidden: Bool, visibilityList: [String]) {
            self.address = address
            self.author = author
            self.type = type
            self.hidden = hidden
            self.visibilityList = visibilityList
        }
    }

    /// A subscription as the policies see it.
    public struct Subscription: Sendable {
        /// The subscriber's DID.
        public var subscriber: String
        /// `Audit`, `Read`, `Write` or `ReadAndWrite`.
        public var accessRights: String
        public var isAuthorized: Bool

        /// Creates a subscription.
        public init(subscriber: String, accessRights: String, isAuthorized: Bool) {
            self.subscriber = subscriber
            self.accessRights = accessRights
            self.isAuthorized = isAuthorized
        }
    }

    /// What the gateway knows about one channel request before asking the policies.
    public struct Facts: Sendable {
        /// The tenant.
        public var tenant: String
        /// The API key's public id and scopes.
        public var keyID: String
        public var scopes: [String]
        /// When the request came, in seconds since 1970.
        public var unixTime: Int
        /// The DID of the identity whose JWT came with the request, with its current role.
        public var identity: (did: String, role: String)?
        /// The channel the route names, when it exists.
        public var channel: Channel?
        /// The caller's own subscription to the channel, if any.
        public var subscription: Subscription?
        /// The subscriber a route names (A15, A19, A20, A21), and that subscription when it exists.
        public var targetSubscriber: String?
        public var target: Subscription?

        /// Creates facts.
        public init(tenant: String, keyID: String, scopes: [String], unixTime: Int) {
            self.tenant = tenant
            self.keyID = keyID
            self.scopes = scopes
            self.unixTime = unixTime
        }
    }

    /// Routes whose principal is the API key: the auditor's read with a pre-shared key, and a tenant
    /// administrator's view of every channel.
    public static let keyActions: Set<String> = ["readChannelHistory", "listChannels", "getChannel", "exportChannel"]

    /// Routes with an identity as principal.
    public static let identityActions: Set<String> = [
        "searchChannelInfo", "getChannelInfo", "addChannelInfo", "updateChannelInfo", "deleteChannelInfo",
        "createChannel", "writeChannelLog", "readChannelLogs", "validateChannelLogs", "reimportChannel",
        "getSubscriptionState", "updateSubscriptionState", "listSubscriptions", "getSubscription",
        "requestSubscription", "authorizeSubscription", "revokeSubscription", "addSubscription", "updateSubscription",
        "deleteSubscription",
    ]

    /// Routes whose resource is the tenant: they name no channel.
    public static let tenantActions: Set<String> = ["searchChannelInfo", "createChannel", "listChannels"]

    /// Routes whose resource is the subscription a path names.
    public static let subscriptionActions: Set<String> = [
        "getSubscription", "addSubscription", "updateSubscription", "deleteSubscription",
    ]

    /// Routes whose context carries the caller's own subscription (`ChannelContext`).
    static let subscriptionContextActions: Set<String> = [
        "getChannelInfo", "getSubscriptionState", "listSubscriptions", "readChannelLogs", "validateChannelLogs",
        "writeChannelLog", "reimportChannel", "updateSubscriptionState", "requestSubscription",
    ]

    /// The request of `action`, or nil for an action that is not a channel route, has no principal (a route that
    /// needs a JWT without one), or names a channel that does not exist.
    public static func request(_ action: String, _ facts: Facts) -> (request: Request, entities: [Entity])? {
        let base = TenantKeyEntities(tenant: facts.tenant, keyID: facts.keyID, scopes: facts.scopes)
        let (tenant, key) = (base.tenant, base.key)
        var entities = base.entities
        func identity(_ did: String, role: String = "User") -> EntityUID {
            let uid = EntityUID(type: "Identity", id: did)
            if !entities.contains(where: { $0.uid == uid }) {
                entities.append(
                    Entity(uid: uid, attributes: ["tenant": .entity(tenant), "role": .string(role)], parents: [tenant]))
            }
            return uid
        }
        let principal: EntityUID
        if identityActions.contains(action), let caller = facts.identity {
            principal = identity(caller.did, role: caller.role)
        } else if keyActions.contains(action) {
            principal = key
        } else {
            return nil
        }
        var context: [String: Value] = ["key": .entity(key), "time": RequestTime.value(unixSeconds: facts.unixTime)]
        if tenantActions.contains(action) {
            return (
                Request(
                    principal: principal, action: EntityUID(type: "Action", id: action), resource: tenant,
                    context: context),
                entities
            )
        }
        guard let channel = facts.channel else { return nil }
        let channelUID = EntityUID(type: "Channel", id: channel.address)
        entities.append(
            Entity(
                uid: channelUID,
                attributes: [
                    "tenant": .entity(tenant), "author": .entity(identity(channel.author)),
                    "type": .string(channel.type), "hidden": .bool(channel.hidden),
                    "visibilityList": .set(Set(channel.visibilityList.map { .entity(identity($0)) })),
                ], parents: [tenant]))
        func subscription(_ subscription: Subscription) -> EntityUID {
            let uid = EntityUID(type: "Subscription", id: channel.address + "/" + subscription.subscriber)
            if !entities.contains(where: { $0.uid == uid }) {
                entities.append(
                    Entity(
                        uid: uid,
                        attributes: [
                            "tenant": .entity(tenant), "channel": .entity(channelUID),
                            "subscriber": .entity(identity(subscription.subscriber)),
                            "accessRights": .string(subscription.accessRights),
                            "isAuthorized": .bool(subscription.isAuthorized),
                        ], parents: [channelUID, tenant]))
            }
            return uid
        }
        if subscriptionContextActions.contains(action), let own = facts.subscription {
            context["subscription"] = .entity(subscription(own))
        }
        let resource: EntityUID
        if subscriptionActions.contains(action) {
            // A subscription being imported does not exist yet: it is the one the path names, not authorized.
            let target =
                facts.target
                ?? Subscription(subscriber: facts.targetSubscriber ?? "", accessRights: "Read", isAuthorized: false)
            resource = subscription(target)
        } else {
            resource = channelUID
        }
        return (
            Request(
                principal: principal, action: EntityUID(type: "Action", id: action), resource: resource,
                context: context),
            entities
        )
    }
}
