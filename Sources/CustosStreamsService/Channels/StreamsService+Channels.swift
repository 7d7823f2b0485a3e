import CustosCore
import CustosCrypto
import CustosServer
import CustosStreams
import Foundation

extension StreamsService {
    /// A6: creates a channel: the announce and, on private channels, the first keyload, on the tenant ledger; the
    /// caller is its author.
    func createChannel(_ tenant: TenantID, body: JSONValue, caller: RelayedCaller) async throws -> JSONValue {
        let author = try caller.requireIdentity()
        let request = try CreateChannelRequest(body)
        if let name = request.name, try await store.nameTaken(tenant, name) {
            throw RequestError(.conflict, "channel already exists")
        }
        let seed = request.seed ?? ParticipantKeys.generateSeed()
        let nonce = SecureRandom.bytes(count: AnnounceContent.nonceByteCount)
        let keys = ParticipantKeys(seed: seed, context: nonce)
        let time = now()
        let created = try ChannelAuthor.create(
            signingKey: keys.signing, keyAgreementKey: keys.keyAgreement, channelType: request.type,
            claimedTime: Self.claimedTime(time), nonce: nonce)
        var channelAuthor = created.author
        let channelID = created.announce.id
        var plusKey: PrivatePlusKey?
        var peerPublicKey: String?
        if request.type == .privatePlus {
            // The author's asym-shared-key comes from its DID document's #kex-0 and a key pair made here, whose
            // private half is dropped at once: from now on only a request that brings the key opens the author's
            // keys (is-api.md §3.6 fetched that private half from the SSI Bridge over HTTP).
            let kex = try await keyAgreementKey(of: author, tenant: tenant)
            let ephemeral = X25519.PrivateKey()
            let shared = try ephemeral.sharedSecret(with: kex)
            plusKey = PrivatePlusKey(Base58.encode(shared), channelID: channelID)
            peerPublicKey = Base58.encode(ephemeral.publicKey.rawRepresentation)
        }
        let psk = try request.presharedKey.map { try PresharedKey(integrationServicesKey: $0) }
        var envelopes = [created.announce]
        if request.type.hasEpochKeys {
            envelopes.append(
                try channelAuthor.keyload(
                    members: [], presharedKeys: psk.map { [$0] } ?? [], claimedTime: Self.claimedTime(time)))
        }
        var row = ChannelRow(
            tenant: tenant, channelID: channelID, name: request.name, description: request.description,
            type: request.type, hidden: request.hidden, visibility: request.visibility, author: author,
            peerPublicKey: peerPublicKey,
            sealedPSK: psk == nil ? nil : try await seal(psk: psk!, tenant: tenant, row: channelID.hex),
            created: time, latestMessage: nil, topics: request.topics, epoch: 0, epochAnchor: channelID,
            nextPosition: 0)
        let sealedKeys = try await seal(
            keys, tenant: tenant, channelID: channelID, subscriber: author, plusKey: plusKey)
        let subscription = SubscriptionRow(
            channelID: channelID, subscriber: author, kind: .author, rights: .readAndWrite, isAuthorized: true,
            publicKey: keys.signing.publicKey.rawRepresentation,
            keyAgreementKey: keys.keyAgreement.publicKey.rawRepresentation, sealedKeys: sealedKeys, sealedPSK: nil,
            pskID: psk?.id(in: channelID), subscribeID: nil, keyloadID: envelopes.count > 1 ? envelopes[1].id : nil,
            firstPosition: 0, nextSequence: channelAuthor.publisher.nextSequence,
            previous: channelAuthor.publisher.previous, created: time, lastModified: nil)
        // The channel is recorded in one transaction, then its envelopes go on the ledger.
        let rows = try stage(envelopes, in: &row)
        guard try await store.insertChannel(row, author: subscription, envelopes: rows) else {
            throw RequestError(.conflict, "channel already exists")
        }
        _ = try await anchored(tenant, channelID, rows)
        logger.info(
            "channel created",
            metadata: ["tenant": "\(tenant)", "channel": "\(row.address)", "type": "\(request.type)"])
        var answer: [String: JSONValue] = ["channelAddress": .string(row.address.description), "seed": .string(seed)]
        if let key = request.presharedKey { answer["presharedKey"] = .string(key) }
        return .object(answer)
    }

    /// The X25519 key (`#kex-0`) of a DID's current document, through the ssi worker's resolver.
    func keyAgreementKey(of did: String, tenant: TenantID) async throws -> X25519.PublicKey {
        let answer = try await ssi.forward(
            .init(
                method: .GET,
                path: "/internal/v1/ssi/identifiers/"
                    + (did.addingPercentEncoding(
                        withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~:"))) ?? did),
                query: nil, caller: "key", body: nil, contentType: nil))
        guard answer.status == 200, let resolution = try? JSONParser.parse(answer.body.readableBytesView),
            let document = resolution["didDocument"]
        else { throw RequestError(.invalidInput, "could not find an encryption key in the identity document.") }
        let methods = document["verificationMethod"]?.arrayValue ?? []
        let agreement = document["keyAgreement"]?.arrayValue ?? []
        let candidates = methods + agreement.filter { $0.objectValue != nil }
        for method in candidates {
            guard let id = method["id"]?.stringValue, id == did + "#kex-0" || id == "#kex-0",
                let multibase = method["publicKeyMultibase"]?.stringValue, multibase.hasPrefix("z"),
                let bytes = try? Base58.decode(multibase.dropFirst())
            else { continue }
            // Multikey X25519 keys carry the multicodec prefix 0xec 0x01; raw 32 bytes are accepted as IS wrote them.
            let raw = bytes.count == 34 && bytes[0] == 0xec && bytes[1] == 0x01 ? Array(bytes.dropFirst(2)) : bytes
            if let key = try? X25519.PublicKey(rawRepresentation: raw) { return key }
        }
        throw RequestError(.invalidInput, "could not find an encryption key in the identity document.")
    }

    // MARK: Channel info

    /// A2: a channel's info as the caller may see it.
    func channelInfo(_ tenant: TenantID, address: ChannelAddress, caller: RelayedCaller) async throws -> JSONValue {
        let row = try await channel(tenant, address)
        let subscriptions = try await store.subscriptions(tenant, row.channelID)
        return Self.info(row, subscriptions: subscriptions, caller: caller)
    }

    /// A1: channel info matching a search.
    func searchChannels(_ tenant: TenantID, _ search: ChannelSearch, caller: RelayedCaller) async throws -> JSONValue {
        var search = search
        search.viewer = caller.did
        search.viewerIsAdmin = caller.isAdmin
        let rows = try await store.search(tenant, search)
        var infos: [JSONValue] = []
        for row in rows {
            infos.append(
                Self.info(row, subscriptions: try await store.subscriptions(tenant, row.channelID), caller: caller))
        }
        return .array(infos)
    }

    /// A3: registers channel info. A channel exists only once its announce is on the tenant's ledger, which only
    /// channel creation writes; so this says whether it exists.
    func addChannelInfo(_ tenant: TenantID, body: JSONValue) async throws {
        let address = try Self.address(try ChannelInfoUpdate.address(body))
        _ = try await channel(tenant, address)
        throw RequestError(.conflict, "channel info for \(address) exists already")
    }

    /// A4: sets topics, hidden, the visibility list and the description.
    func updateChannelInfo(_ tenant: TenantID, body: JSONValue) async throws {
        let update = try ChannelInfoUpdate(body)
        var row = try await channel(tenant, update.address)
        row.topics = update.topics
        if let hidden = update.hidden { row.hidden = hidden }
        if let visibility = update.visibility { row.visibility = visibility }
        if let description = update.description { row.description = description }
        try await store.updateChannelInfo(row)
    }

    /// A5: closes a channel: its info, subscriptions and the keys held for it are destroyed; its envelopes stay on
    /// the ledger, where their receipts keep verifying.
    /// Envelopes recorded but not on the ledger yet are anchored first: the leftover look goes by channel row, so
    /// once the row is gone they would stay pending.
    func deleteChannel(_ tenant: TenantID, address: ChannelAddress) async throws {
        for _ in 0..<Self.deletionAttempts {
            _ = try await anchored(tenant, address.channelID, [])
            switch try await store.deleteChannel(tenant, address.channelID) {
            case .deleted:
                await participants.forget(tenant, address.channelID)
                logger.info("channel closed", metadata: ["tenant": "\(tenant)", "channel": "\(address)"])
                return
            case .missing:
                throw RequestError(.notFound, "this tenant has no channel \(address)")
            case .pending:
                continue
            }
        }
        throw RequestError(
            .unavailable,
            "channel \(address) is still receiving entries that are not on the ledger yet; it was not closed, try again"
        )
    }

    /// How many times closing a channel anchors what writers keep adding before it gives up with a 503.
    static let deletionAttempts = 5

    /// The Integration Services `ChannelInfo` of a channel; `visibilityList` only for its author and Admins.
    static func info(_ row: ChannelRow, subscriptions: [SubscriptionRow], caller: RelayedCaller) -> JSONValue {
        var info: [String: JSONValue] = [
            "channelAddress": .string(row.address.description),
            "type": .string(row.type.description),
            "hidden": .bool(row.hidden),
            "authorId": .string(row.author),
            "topics": .array(row.topics.map { ["type": .string($0.type), "source": .string($0.source)] }),
            "created": .string(Timestamp.iso8601(row.created)),
            "subscriberIds": .array(
                subscriptions.filter { $0.kind == .subscriber && $0.isAuthorized }.map { .string($0.subscriber) }),
            "requestedSubscriptionIds": .array(
                subscriptions.filter { $0.kind == .subscriber && !$0.isAuthorized }.map { .string($0.subscriber) }),
        ]
        if let name = row.name { info["name"] = .string(name) }
        if let description = row.description { info["description"] = .string(description) }
        if let latest = row.latestMessage { info["latestMessage"] = .string(Timestamp.iso8601(latest)) }
        if let peer = row.peerPublicKey { info["peerPublicKey"] = .string(peer) }
        if caller.did == row.author || caller.isAdmin {
            info["visibilityList"] = .array(row.visibility.map { ["id": .string($0)] })
        }
        return .object(info)
    }
}
