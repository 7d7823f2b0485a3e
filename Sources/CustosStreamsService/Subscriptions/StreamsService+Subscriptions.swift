import CustosCore
import CustosCrypto
import CustosServer
import CustosStore
import CustosStreams
import Foundation

extension StreamsService {
    /// A16: asks the author for access. On public channels, and with the channel's pre-shared key, the subscription
    /// is an authorized Audit one at once, as in Integration Services; otherwise a subscribe envelope goes on the
    /// ledger and the author authorizes it (A17).
    func requestSubscription(
        _ tenant: TenantID, address: ChannelAddress, body: JSONValue, caller: RelayedCaller, asymKey: String?
    ) async throws -> JSONValue {
        let did = try caller.requireIdentity()
        let fields = try BodyFields(body)
        let seed = try fields.string("seed", length: 32...256) ?? ParticipantKeys.generateSeed()
        let rights = try Self.rights(try fields.string("accessRights", length: 1...32)) ?? .read
        let pskText = try fields.string("presharedKey", length: 32...32)
        let found = try await channel(tenant, address)
        let plusKey = try PrivatePlusKey.required(asymKey, type: found.type, channelID: found.channelID)
        guard try await store.subscription(tenant, found.channelID, subscriber: did) == nil else {
            throw RequestError(.conflict, "subscription already requested")
        }
        let keys = ParticipantKeys(seed: seed, context: found.channelID.bytes)
        let time = now()
        let sealedKeys = try await seal(
            keys, tenant: tenant, channelID: found.channelID, subscriber: did, plusKey: plusKey)
        var answer: [String: JSONValue] = ["seed": .string(seed)]
        if found.type == .public || pskText != nil {
            var psk: PresharedKey?
            var sealedPSK: [UInt8]?
            if let pskText {
                psk = try? PresharedKey(integrationServicesKey: pskText)
                guard let key = psk, try await pskOpens(key, channel: found) else {
                    throw RequestError(.forbidden, "the presharedKey is not this channel's")
                }
                sealedPSK = try await seal(
                    psk: key, tenant: tenant, row: ParticipantKeys.row(channelID: found.channelID, subscriber: did))
            }
            let subscription = SubscriptionRow(
                channelID: found.channelID, subscriber: did, kind: .subscriber, rights: .audit, isAuthorized: true,
                publicKey: keys.signing.publicKey.rawRepresentation,
                keyAgreementKey: keys.keyAgreement.publicKey.rawRepresentation,
                sealedKeys: sealedKeys, sealedPSK: sealedPSK, pskID: psk?.id(in: found.channelID), subscribeID: nil,
                keyloadID: nil, firstPosition: 0,
                nextSequence: 0, previous: .zero, created: time, lastModified: nil)
            if found.type == .public { answer["subscriptionLink"] = .string(address.description) }
            try await insert(subscription, tenant: tenant)
            return .object(answer)
        }
        let subscribe = try await store.withChannel(tenant, found.channelID) { connection, locked in
            var channel = locked
            var publisher = ChannelPublisher(channelID: channel.channelID, signingKey: keys.signing)
            let envelope = try publisher.subscribe(
                keyAgreementKey: keys.keyAgreement.publicKey, requestedRights: rights,
                claimedTime: Self.claimedTime(time))
            let rows = try await append([envelope], to: &channel, on: connection)
            let requested = SubscriptionRow(
                channelID: channel.channelID, subscriber: did, kind: .subscriber, rights: rights, isAuthorized: false,
                publicKey: keys.signing.publicKey.rawRepresentation,
                keyAgreementKey: keys.keyAgreement.publicKey.rawRepresentation, sealedKeys: sealedKeys, sealedPSK: nil,
                pskID: nil, subscribeID: envelope.id, keyloadID: nil, firstPosition: nil,
                nextSequence: publisher.nextSequence, previous: publisher.previous, created: time, lastModified: nil)
            do { try await store.insertSubscription(tenant, requested, on: connection) } catch
                where UniqueViolation.matches(error)
            {
                throw RequestError(.conflict, "subscription already requested, or its public key is used already")
            }
            return rows[0]
        }
        _ = try await anchored(tenant, found.channelID, [subscribe])
        answer["subscriptionLink"] = .string(ChannelAddress(channelID: subscribe.envelope.id).description)
        return .object(answer)
    }

    private func insert(_ subscription: SubscriptionRow, tenant: TenantID) async throws {
        do {
            try await store.database.run {
                try await store.client.withConnection { connection in
                    try await store.insertSubscription(tenant, subscription, on: connection)
                }
            }
        } catch  where UniqueViolation.matches(error) {
            throw RequestError(.conflict, "subscription already requested, or its public key is used already")
        }
    }

    static func rights(_ text: String?) throws(RequestError) -> AccessRights? {
        guard let text else { return nil }
        guard let rights = AccessRights(name: text) else {
            throw RequestError(.invalidInput, "accessRights must be Audit, Read, Write or ReadAndWrite")
        }
        return rights
    }

    /// The subscription a body of A17 or A18 names: by `subscriptionLink` or, without one, by `id`.
    static func target(_ body: JSONValue, in subscriptions: [SubscriptionRow]) throws(RequestError) -> SubscriptionRow {
        let fields = try BodyFields(body, allowed: ["subscriptionLink", "id"])
        let found: SubscriptionRow?
        if let link = try fields.string("subscriptionLink", length: 1...256) {
            let id = try address(link, field: "subscriptionLink").channelID
            found = subscriptions.first { $0.subscribeID == id }
        } else if let did = try fields.string("id", length: 1...512) {
            found = subscriptions.first { $0.subscriber == did }
        } else {
            throw RequestError(.invalidInput, "give subscriptionLink or id")
        }
        guard let found else { throw RequestError(.notFound, "no such subscription on this channel") }
        return found
    }

    /// A17: the author authorizes a requested subscription with one keyload.
    func authorize(
        _ tenant: TenantID, address: ChannelAddress, body: JSONValue, caller: RelayedCaller, asymKey: String?
    )
        async throws -> JSONValue
    {
        let did = try caller.requireIdentity()
        let found = try await channel(tenant, address)
        let plusKey = try PrivatePlusKey.required(asymKey, type: found.type, channelID: found.channelID)
        guard found.author == did else { throw RequestError(.forbidden, "not the valid author of the channel") }
        let keyload = try await changeMembers(tenant, address: address, plusKey: plusKey) { subscriptions, _ in
            let target = try Self.target(body, in: subscriptions)
            guard target.kind == .subscriber else { throw RequestError(.conflict, "the author is always authorized") }
            guard !target.isAuthorized else { throw RequestError(.conflict, "subscription already authorized") }
            let index = subscriptions.firstIndex { $0.subscriber == target.subscriber }!
            subscriptions[index].isAuthorized = true
            subscriptions[index].lastModified = Date()
            return MembershipChange(joined: [target.subscriber])
        }
        guard let keyload else { throw RequestError(.internalFailure, "the authorization made no keyload") }
        let link = JSONValue.string(ChannelAddress(channelID: keyload.envelope.id).description)
        return ["keyloadLink": link, "sequenceLink": link]
    }

    /// A18: the author revokes a subscription: a new epoch without it, and the subscription and its keys deleted.
    func revoke(_ tenant: TenantID, address: ChannelAddress, body: JSONValue, caller: RelayedCaller, asymKey: String?)
        async throws
    {
        let did = try caller.requireIdentity()
        let found = try await channel(tenant, address)
        let plusKey = try PrivatePlusKey.required(asymKey, type: found.type, channelID: found.channelID)
        guard found.author == did else { throw RequestError(.forbidden, "subscription must be an author") }
        _ = try await changeMembers(tenant, address: address, plusKey: plusKey) { subscriptions, _ in
            let target = try Self.target(body, in: subscriptions)
            guard target.kind == .subscriber else {
                throw RequestError(.invalidInput, "the author's subscription cannot be revoked; delete the channel")
            }
            return MembershipChange(deleted: [target.subscriber])
        }
    }

    /// A20: the author changes a subscription's rights or authorization (a new epoch when its members change); a
    /// subscriber may only lower its own rights or leave. Links and PSK ids are the service's and are ignored.
    func updateSubscription(
        _ tenant: TenantID, address: ChannelAddress, subscriber: String, body: JSONValue, caller: RelayedCaller,
        asymKey: String?
    ) async throws {
        let did = try caller.requireIdentity()
        let fields = try BodyFields(body)
        let rights = try Self.rights(try fields.string("accessRights", length: 1...32))
        let authorized = try fields.bool("isAuthorized")
        let found = try await channel(tenant, address)
        let plusKey = try? PrivatePlusKey.required(asymKey, type: found.type, channelID: found.channelID)
        let byAuthor = found.author == did
        _ = try await changeMembers(tenant, address: address, plusKey: byAuthor ? plusKey ?? nil : nil) {
            subscriptions, _ in
            guard let index = subscriptions.firstIndex(where: { $0.subscriber == subscriber }) else {
                throw RequestError(.notFound, "no subscription found")
            }
            var target = subscriptions[index]
            guard byAuthor || target.subscriber == did else {
                throw RequestError(.forbidden, "not authorized to update the subscription")
            }
            guard target.kind == .subscriber else {
                throw RequestError(.invalidInput, "the author's subscription is always ReadAndWrite and authorized")
            }
            var change = MembershipChange()
            if let rights, rights != target.rights {
                guard byAuthor || Self.lowers(target.rights, to: rights) else {
                    throw RequestError(.forbidden, "a subscriber may lower its own access rights, never raise them")
                }
                target.rights = rights
            }
            if let authorized, authorized != target.isAuthorized {
                guard byAuthor || !authorized else {
                    throw RequestError(.forbidden, "only the channel's author authorizes subscriptions")
                }
                target.isAuthorized = authorized
                if authorized { change.joined.insert(target.subscriber) }
            }
            target.lastModified = Date()
            subscriptions[index] = target
            return change
        }
    }

    /// Whether `new` allows nothing that `old` does not.
    static func lowers(_ old: AccessRights, to new: AccessRights) -> Bool {
        (!new.canRead || old.canRead) && (!new.canWrite || old.canWrite)
    }

    /// A21: the subscriber or the author deletes a subscription; the channel is re-keyed without it.
    func deleteSubscription(
        _ tenant: TenantID, address: ChannelAddress, subscriber: String, caller: RelayedCaller, asymKey: String?
    ) async throws {
        let did = try caller.requireIdentity()
        let found = try await channel(tenant, address)
        let plusKey = try? PrivatePlusKey.required(asymKey, type: found.type, channelID: found.channelID)
        let byAuthor = found.author == did
        _ = try await changeMembers(tenant, address: address, plusKey: byAuthor ? plusKey ?? nil : nil) {
            subscriptions, _ in
            guard let target = subscriptions.first(where: { $0.subscriber == subscriber }) else {
                throw RequestError(.notFound, "no subscription found")
            }
            guard byAuthor || target.subscriber == did else {
                throw RequestError(.forbidden, "not authorized to delete the subscription")
            }
            guard target.kind == .subscriber else {
                throw RequestError(.invalidInput, "the author's subscription cannot be deleted; delete the channel")
            }
            return MembershipChange(deleted: [subscriber])
        }
    }

    /// A19: records a subscription whose keys its subscriber holds, as a request the author may authorize (A17);
    /// whatever the body says, it starts unauthorized.
    func importSubscription(
        _ tenant: TenantID, address: ChannelAddress, subscriber: String, body: JSONValue, caller: RelayedCaller
    ) async throws -> JSONValue {
        let did = try caller.requireIdentity()
        let fields = try BodyFields(body)
        guard try fields.requiredString("channelAddress", length: 1...256) == address.description,
            try fields.requiredString("id", length: 1...512) == subscriber
        else { throw RequestError(.invalidInput, "channelAddress and id must be those of the path") }
        guard try fields.requiredString("type", length: 1...32) == "Subscriber" else {
            throw RequestError(.invalidInput, "type must be Subscriber: a channel has one author")
        }
        guard let rights = try Self.rights(try fields.string("accessRights", length: 1...32)) else {
            throw RequestError(.invalidInput, "accessRights is required")
        }
        guard let keyText = try fields.string("publicKey", length: 64...64),
            let key = try? Hex.decode(keyText), (try? Ed25519.PublicKey(rawRepresentation: key)) != nil
        else { throw RequestError(.invalidInput, "no channelAddress, id or publicKey provided") }
        let found = try await channel(tenant, address)
        guard found.author == did || subscriber == did else {
            throw RequestError(.forbidden, "a subscription is imported by its subscriber or the channel's author")
        }
        let row = SubscriptionRow(
            channelID: found.channelID, subscriber: subscriber, kind: .subscriber, rights: rights, isAuthorized: false,
            publicKey: key, keyAgreementKey: nil, sealedKeys: nil, sealedPSK: nil, pskID: nil, subscribeID: nil,
            keyloadID: nil, firstPosition: nil, nextSequence: 0, previous: .zero, created: now(), lastModified: nil)
        do { try await insert(row, tenant: tenant) } catch let error as RequestError where error.kind == .conflict {
            throw RequestError(.conflict, "subscription already added")
        }
        return Self.json(row, channel: found)
    }

    /// A14: a channel's subscriptions: all of them for its author and Admins, one's own for anyone else.
    func subscriptions(_ tenant: TenantID, address: ChannelAddress, authorized: Bool?, caller: RelayedCaller)
        async throws -> JSONValue
    {
        let did = try caller.requireIdentity()
        let found = try await channel(tenant, address)
        let all = try await store.subscriptions(tenant, found.channelID)
        let visible = found.author == did || caller.isAdmin ? all : all.filter { $0.subscriber == did }
        return .array(
            visible.filter { authorized == nil || $0.isAuthorized == authorized }.map { Self.json($0, channel: found) })
    }

    /// A15: one subscription, for its subscriber, the channel's author and Admins.
    func subscription(_ tenant: TenantID, address: ChannelAddress, subscriber: String, caller: RelayedCaller)
        async throws -> JSONValue
    {
        let did = try caller.requireIdentity()
        let found = try await channel(tenant, address)
        guard found.author == did || caller.isAdmin || subscriber == did else {
            throw RequestError(.forbidden, "a subscription is shown to its subscriber, the channel's author and Admins")
        }
        guard let row = try await store.subscription(tenant, found.channelID, subscriber: subscriber) else {
            throw RequestError(.notFound, "no subscription found")
        }
        return Self.json(row, channel: found)
    }

    /// A12: the caller's subscription state: what the service knows of it in public, as base64 of RFC 8785 JSON.
    /// No secret is in it; a client that kept its seed rebuilds its keys from it (docs/channels.md §14).
    func state(_ tenant: TenantID, address: ChannelAddress, caller: RelayedCaller) async throws -> JSONValue {
        let did = try caller.requireIdentity()
        let found = try await channel(tenant, address)
        let row = try await subscription(of: did, in: found)
        return ["state": .string(Base64.encode(try JCS.canonicalBytes(Self.state(row, channel: found))))]
    }

    /// A13: accepts a state only when it is the caller's own (the service's copy is the one in force).
    func updateState(_ tenant: TenantID, address: ChannelAddress, body: JSONValue, caller: RelayedCaller) async throws {
        let did = try caller.requireIdentity()
        let text = try BodyFields(body, allowed: ["state"]).requiredString("state", length: 1...65536)
        guard let bytes = try? Base64.decode(text), let state = try? JSONParser.parse(bytes) else {
            throw RequestError(.invalidInput, "state must be base64 of a JSON subscription state")
        }
        let found = try await channel(tenant, address)
        let row = try await subscription(of: did, in: found)
        guard state["publicKey"]?.stringValue == Hex.encode(row.publicKey), state["id"]?.stringValue == did else {
            throw RequestError(.conflict, "the state names other keys than the caller's subscription")
        }
    }

    static func state(_ row: SubscriptionRow, channel: ChannelRow) -> JSONValue {
        var state: [String: JSONValue] = [
            "channelAddress": .string(channel.address.description), "id": .string(row.subscriber),
            "publicKey": .string(Hex.encode(row.publicKey)), "accessRights": .string(row.rights.description),
            "isAuthorized": .bool(row.isAuthorized), "nextSequence": .number(Double(row.nextSequence)),
            "previous": .string(row.previous.hex),
        ]
        if let key = row.keyAgreementKey { state["keyAgreementKey"] = .string(Hex.encode(key)) }
        return .object(state)
    }

    /// The Integration Services `Subscription` of a row.
    static func json(_ row: SubscriptionRow, channel: ChannelRow) -> JSONValue {
        var json: [String: JSONValue] = [
            "type": .string(row.kind.rawValue), "channelAddress": .string(channel.address.description),
            "id": .string(row.subscriber), "isAuthorized": .bool(row.isAuthorized),
            "accessRights": .string(row.rights.description), "publicKey": .string(Hex.encode(row.publicKey)),
            "created": .string(Timestamp.iso8601(row.created)),
        ]
        if row.kind == .author || channel.type == .public {
            json["subscriptionLink"] = .string(channel.address.description)
        } else if let id = row.subscribeID {
            json["subscriptionLink"] = .string(ChannelAddress(channelID: id).description)
        }
        if let keyload = row.keyloadID {
            let link = JSONValue.string(ChannelAddress(channelID: keyload).description)
            json["keyloadLink"] = link
            json["sequenceLink"] = link
        } else if row.isAuthorized {
            json["keyloadLink"] = .string(channel.address.description)
        }
        if let psk = row.pskID { json["pskId"] = .string(Hex.encode(psk)) }
        if let modified = row.lastModified { json["lastModified"] = .string(Timestamp.iso8601(modified)) }
        return .object(json)
    }
}
