import CustosCore
import CustosLedger
import CustosServer
import CustosStreams
import Foundation

extension StreamsService {
    /// A10: checks logs a client holds against the channel: each `link` must name a packet of the channel whose
    /// signature holds, whose ledger message carries exactly its bytes, and whose log (opened with the caller's
    /// keys) is the same data. Each result carries the ledger receipt once the entry is in a checkpoint.
    func validate(_ tenant: TenantID, address: ChannelAddress, body: JSONValue, caller: RelayedCaller, asymKey: String?)
        async throws -> JSONValue
    {
        let did = try caller.requireIdentity()
        guard case .array(let items) = body else {
            throw RequestError(.invalidInput, "the body must be an array of logs")
        }
        guard !items.isEmpty else { throw RequestError(.invalidInput, "no logs provided") }
        guard items.count <= 1000 else { throw RequestError(.invalidInput, "at most 1000 logs per validation") }
        let claims = try items.enumerated().map { index, item throws(RequestError) in
            let fields = try BodyFields(item)
            let link = try fields.requiredString("link", length: 1...256)
            guard case .object(let members)? = fields.members["log"] else {
                throw RequestError(.invalidInput, "item \(index) needs a log object")
            }
            return (link: link, log: ChannelLog(members: members))
        }
        let found = try await channel(tenant, address)
        let plusKey = try PrivatePlusKey.required(asymKey, type: found.type, channelID: found.channelID)
        let subscription = try await subscription(of: did, in: found)
        guard subscription.isAuthorized, subscription.kind == .author || subscription.rights.canRead else {
            throw RequestError(.forbidden, "the subscription of \(did.prefix(128)) does not allow reading this channel")
        }
        let credentials = try await credentials(of: subscription, in: found, plusKey: plusKey)
        var results: [JSONValue] = []
        for claim in claims {
            results.append(try await validate(claim.link, claim.log, in: found, credentials: credentials))
        }
        return .array(results)
    }

    private func validate(_ link: String, _ claimed: ChannelLog, in channel: ChannelRow, credentials: ReaderCredentials)
        async throws -> JSONValue
    {
        func invalid(_ error: String, tangleLog: ChannelLog? = nil) -> JSONValue {
            var result: [String: JSONValue] = ["link": .string(link), "isValid": false, "error": .string(error)]
            if let tangleLog { result["tangleLog"] = tangleLog.json }
            return .object(result)
        }
        guard let id = try? ChannelAddress(link).channelID,
            let row = try await store.envelope(channel.tenant, channel.channelID, id: id),
            [.signedPacket, .taggedPacket].contains(row.envelope.type), let messageID = row.messageID
        else { return invalid("log not found on the tangle") }
        guard row.envelope.type != .signedPacket || row.envelope.hasValidSignature else {
            return invalid("the entry's signature does not verify")
        }
        let secrets = try await epochSecrets([row.envelope.epoch], in: channel, credentials: credentials)
        guard let stored = Self.log(of: row.envelope, secret: secrets[row.envelope.epoch]) else {
            return invalid("the entry is not a log")
        }
        let (receipt, onLedger) = try await ledgerProof(of: row.envelope, at: messageID, tenant: channel.tenant)
        guard onLedger else { return invalid("the ledger message does not carry this entry") }
        guard claimed.sameData(as: stored) else { return invalid("not the same data", tangleLog: stored) }
        var result: [String: JSONValue] = ["link": .string(link), "isValid": true]
        if let receipt { result["receipt"] = receipt }
        return .object(result)
    }

    /// The entry's receipt when its message is in a checkpoint, and whether the ledger message carries exactly the
    /// envelope's bytes under the channel's tag.
    private func ledgerProof(of envelope: Envelope, at messageID: Digest32, tenant: TenantID) async throws
        -> (receipt: JSONValue?, matches: Bool)
    {
        if let bytes = try? await ledger.receipt(tenant: tenant, id: messageID),
            let json = try? JSONParser.parse(bytes), let receipt = try? Receipt(json: json)
        {
            return (json, Self.carries(receipt.message, envelope))
        }
        let message = try await ledger.message(tenant: tenant, id: messageID)
        guard let raw = try? Base64.decode(message.raw) else { return (nil, false) }
        return (nil, Self.carries(raw, envelope))
    }

    static func carries(_ messageBytes: [UInt8], _ envelope: Envelope) -> Bool {
        guard let message = try? LedgerMessage(bytes: messageBytes), let data = message.payload.taggedData else {
            return false
        }
        return data.tag == envelope.ledgerTag && data.data == envelope.bytes
    }

    /// A11: checks every stored envelope of the channel against the ledger message that carries it; a 409 names
    /// the first that differs. Authors may do it too (Integration Services refused them).
    func reimport(_ tenant: TenantID, address: ChannelAddress, caller: RelayedCaller, asymKey: String?) async throws {
        let did = try caller.requireIdentity()
        let found = try await channel(tenant, address)
        _ = try PrivatePlusKey.required(asymKey, type: found.type, channelID: found.channelID)
        let subscription = try await subscription(of: did, in: found)
        guard subscription.isAuthorized, subscription.kind == .author || subscription.rights.canRead else {
            throw RequestError(.forbidden, "the subscription of \(did.prefix(128)) does not allow reading this channel")
        }
        var position: Int64 = 0
        while true {
            let rows = try await store.envelopes(tenant, found.channelID, from: position, limit: 500)
            guard let last = rows.last else { return }
            // Sixteen messages at a time keep the ledger worker busy without flooding it.
            for start in stride(from: 0, to: rows.count, by: 16) {
                try await withThrowingTaskGroup(of: (Int64, Bool).self) { group in
                    for row in rows[start..<min(start + 16, rows.count)] {
                        group.addTask {
                            let message = try await ledger.message(tenant: tenant, id: try row.anchoredID)
                            let raw = (try? Base64.decode(message.raw)) ?? []
                            return (row.position, Self.carries(raw, row.envelope))
                        }
                    }
                    for try await (at, matches) in group where !matches {
                        throw RequestError(
                            .conflict,
                            "envelope \(at) of the channel differs from the ledger message that should carry it")
                    }
                }
            }
            position = last.position + 1
        }
    }
}
