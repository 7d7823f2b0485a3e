import Testing

@testable import CustosPolicy

/// The Audit Trail routes' requests decided by the shipped policies (Policies/base/channels.cedar): the author
/// manages, subscriptions grant by their rights, hidden channels stay hidden, and key scopes apply, as the gateway
/// asks them.
@Suite("Channel route policies")
struct ChannelRequestsTests {
    static let author = "did:custos:acme:author"
    static let me = "did:custos:acme:me"

    static func decide(
        _ action: String, caller: String? = me, role: String = "User", hidden: Bool = false,
        visibility: [String] = [], own: ChannelRequests.Subscription? = nil, targetSubscriber: String? = nil,
        target: ChannelRequests.Subscription? = nil, scopes: [String] = LedgerRequests.allScopes,
        channel: Bool = true
    ) throws -> Decision? {
        var facts = ChannelRequests.Facts(tenant: "acme", keyID: "key_1", scopes: scopes, unixTime: 1_764_583_200)
        facts.identity = caller.map { ($0, role) }
        if channel {
            facts.channel = .init(
                address: "channel", author: author, type: "private", hidden: hidden, visibilityList: visibility)
        }
        facts.subscription = own
        facts.targetSubscriber = targetSubscriber
        facts.target = target
        guard let (request, entities) = ChannelRequests.request(action, facts) else { return nil }
        return Authorizer.isAuthorized(
            request, policies: BasePolicies.policySet, entities: try BasePolicies.actionEntities.adding(entities))
    }

    static func subscription(_ rights: String, authorized: Bool = true, of did: String = me)
        -> ChannelRequests.Subscription
    {
        .init(subscriber: did, accessRights: rights, isAuthorized: authorized)
    }

    @Test("every identity route needs a JWT; history and the administrator's routes take the key")
    func principals() throws {
        for action in ChannelRequests.identityActions {
            #expect(try Self.decide(action, caller: nil) == nil, "\(action) without a JWT has no principal")
        }
        for action in ChannelRequests.keyActions where action != "readChannelHistory" {
            #expect(try Self.decide(action, caller: nil)?.isAllowed == true, "\(action)")
            #expect(try Self.decide(action, caller: nil, scopes: ["channels:read"])?.isAllowed == false, "\(action)")
        }
        #expect(try Self.decide("readChannelHistory", caller: nil)?.isAllowed == true)
        // A route that names a channel the tenant does not have has no request: the gateway answers 404.
        #expect(try Self.decide("readChannelLogs", channel: false) == nil)
    }

    @Test("access rights decide reading and writing; only an authorized subscription counts")
    func rights() throws {
        for (rights, reads, writes) in [
            ("Audit", true, false), ("Read", true, false), ("Write", false, true), ("ReadAndWrite", true, true),
        ] {
            let own = Self.subscription(rights)
            #expect(try Self.decide("readChannelLogs", own: own)?.isAllowed == reads, "\(rights)")
            #expect(try Self.decide("validateChannelLogs", own: own)?.isAllowed == reads, "\(rights)")
            #expect(try Self.decide("writeChannelLog", own: own)?.isAllowed == writes, "\(rights)")
        }
        let requested = Self.subscription("ReadAndWrite", authorized: false)
        #expect(try Self.decide("readChannelLogs", own: requested)?.isAllowed == false)
        #expect(try Self.decide("writeChannelLog", own: requested)?.isAllowed == false)
        #expect(try Self.decide("writeChannelLog")?.isAllowed == false)
        // Someone else's subscription passed as the caller's own grants nothing.
        let other = Self.subscription("ReadAndWrite", of: "did:custos:acme:other")
        #expect(try Self.decide("writeChannelLog", own: other)?.isAllowed == false)
    }

    @Test("the author manages subscriptions; subscribers manage only their own")
    func management() throws {
        #expect(try Self.decide("authorizeSubscription", caller: Self.author)?.isAllowed == true)
        #expect(try Self.decide("authorizeSubscription")?.isAllowed == false)
        #expect(try Self.decide("revokeSubscription", role: "Admin")?.isAllowed == false)
        let mine = Self.subscription("Read")
        #expect(try Self.decide("deleteSubscription", targetSubscriber: Self.me, target: mine)?.isAllowed == true)
        let theirs = Self.subscription("Read", of: "did:custos:acme:other")
        let foreign = try Self.decide("deleteSubscription", targetSubscriber: theirs.subscriber, target: theirs)
        #expect(foreign?.isAllowed == false)
        let byAuthor = try Self.decide(
            "updateSubscription", caller: Self.author, targetSubscriber: theirs.subscriber, target: theirs)
        #expect(byAuthor?.isAllowed == true)
        // Importing a subscription that does not exist yet: for oneself or by the author only.
        #expect(try Self.decide("addSubscription", targetSubscriber: Self.me)?.isAllowed == true)
        #expect(try Self.decide("addSubscription", targetSubscriber: "did:custos:acme:other")?.isAllowed == false)
        #expect(try Self.decide("updateChannelInfo")?.isAllowed == false)
        #expect(try Self.decide("updateChannelInfo", role: "Admin")?.isAllowed == true)
        #expect(try Self.decide("deleteChannelInfo", caller: Self.author)?.isAllowed == true)
    }

    @Test("hidden channels: their author, their visibility list and Admins; key scopes apply to identities too")
    func hiddenAndScopes() throws {
        #expect(try Self.decide("getChannelInfo", hidden: true)?.isAllowed == false)
        #expect(try Self.decide("getChannelInfo", hidden: true, visibility: [Self.me])?.isAllowed == true)
        #expect(try Self.decide("getChannelInfo", caller: Self.author, hidden: true)?.isAllowed == true)
        #expect(try Self.decide("getChannelInfo", role: "Admin", hidden: true)?.isAllowed == true)
        #expect(try Self.decide("getChannelInfo")?.isAllowed == true)
        let own = Self.subscription("ReadAndWrite")
        #expect(try Self.decide("writeChannelLog", own: own, scopes: ["channels:read"])?.isAllowed == false)
        #expect(try Self.decide("readChannelLogs", own: own, scopes: ["channels:read"])?.isAllowed == true)
        #expect(try Self.decide("createChannel", scopes: ["channels:read"])?.isAllowed == false)
    }
}
