import CustosCore
import CustosCrypto
import CustosLedger
import CustosServer
import CustosStreams
import Foundation

/// A log write (A7), checked and ready to be signed in its channel's next batch.
struct LogWrite: Sendable {
    let address: ChannelAddress
    let log: ChannelLog
    let request: PacketRequest
}

/// Paging and date filters of the log reads (A8, A9).
struct LogPage: Sendable {
    var limit = 1000
    var offset = 0
    var ascending = false
    var start: Date?
    var end: Date?
}

extension StreamsService {
    /// A7: writes a log entry as a signed packet by the caller, who needs an authorized subscription with Write or
    /// ReadAndWrite.
    func writeLog(_ tenant: TenantID, address: ChannelAddress, body: JSONValue, caller: RelayedCaller, asymKey: String?)
        async throws -> JSONValue
    {
        let write = try await prepareLog(tenant, address: address, body: body, caller: caller, asymKey: asymKey)
        return try await writeLogs(tenant, [write])[0].get()
    }

    /// Checks a log write (A7) and makes its packet request, ready for ``writeLogs(_:_:)``.
    func prepareLog(
        _ tenant: TenantID, address: ChannelAddress, body: JSONValue, caller: RelayedCaller, asymKey: String?
    ) async throws -> LogWrite {
        let did = try caller.requireIdentity()
        let log = try ChannelLog(body: body, now: now())
        let type = try await channelType(tenant, address)
        let plusKey = try PrivatePlusKey.required(asymKey, type: type, channelID: address.channelID)
        let (publicPart, privatePart) = try log.parts(for: type)
        return LogWrite(
            address: address, log: log,
            request: PacketRequest(publisher: did, publicPart: publicPart, privatePart: privatePart, plusKey: plusKey))
    }

    /// Writes log entries: those of one channel go to its write queue together, so they share a transaction and
    /// a ledger round. One answer (`ChannelData`) or error per write, in order.
    func writeLogs(_ tenant: TenantID, _ writes: [LogWrite]) async -> [Result<JSONValue, any Error>] {
        let channels = Dictionary(grouping: writes.indices, by: { writes[$0].address.channelID })
        var answers = [Result<JSONValue, any Error>?](repeating: nil, count: writes.count)
        await withTaskGroup(of: [(Int, Result<JSONValue, any Error>)].self) { group in
            for (channelID, indices) in channels {
                group.addTask {
                    let results = await self.writes.write(
                        indices.map { writes[$0].request }, tenant: tenant, channelID: channelID,
                        flush: { await writeBatch($0, $1, $2) }, anchor: { try await anchored($0, $1, $2) })
                    return zip(indices, results).map { index, result in
                        (index, result.flatMap { written in Result { try Self.answer(writes[index], written) } })
                    }
                }
            }
            for await results in group {
                for (index, answer) in results { answers[index] = answer }
            }
        }
        return answers.map { $0 ?? .failure(RequestError(.internalFailure, "the write lost its answer")) }
    }

    /// A written entry as Integration Services `ChannelData`.
    private static func answer(_ write: LogWrite, _ written: WrittenPacket) throws -> JSONValue {
        [
            "link": .string(ChannelAddress(channelID: written.row.envelope.id).description),
            "messageId": .string(try written.row.anchoredID.hex),
            "log": write.log.json,
            "source": [
                "publicKey": .string(Hex.encode(written.publisher.rawRepresentation)),
                "id": .string(write.request.publisher),
            ],
        ]
    }

    /// A8: the entries the caller's subscription can read: those written after it was authorized (the author reads
    /// all), opened with its keys.
    func readLogs(
        _ tenant: TenantID, address: ChannelAddress, page: LogPage, caller: RelayedCaller, asymKey: String?
    ) async throws -> JSONValue {
        let did = try caller.requireIdentity()
        let found = try await channel(tenant, address)
        let plusKey = try PrivatePlusKey.required(asymKey, type: found.type, channelID: found.channelID)
        let subscription = try await subscription(of: did, in: found)
        guard subscription.isAuthorized, subscription.kind == .author || subscription.rights.canRead,
            let first = subscription.firstPosition
        else {
            throw RequestError(
                .forbidden, "the subscription of \(did.prefix(128)) does not allow reading this channel")
        }
        let credentials = try await credentials(of: subscription, in: found, plusKey: plusKey)
        let rows = try await store.packets(
            tenant, found.channelID, fromPosition: first, start: page.start, end: page.end,
            ascending: page.ascending, limit: page.limit, offset: page.offset)
        return .array(try await present(rows, in: found, credentials: credentials))
    }

    /// A9: an auditor's read with the channel's pre-shared key (or, on public channels, none).
    func readHistory(_ tenant: TenantID, address: ChannelAddress, presharedKey: String?, type: String?, page: LogPage)
        async throws -> JSONValue
    {
        let found = try await channel(tenant, address)
        var credentials = ReaderCredentials()
        switch (type ?? "private", presharedKey) {
        case ("public", _):
            guard found.type == .public else {
                throw RequestError(.invalidInput, "the channel is \(found.type): give its preshared-key")
            }
        case ("private", nil):
            throw RequestError(.invalidInput, "no preshared-key provided")
        case ("private", let key?):
            let psk: PresharedKey
            do { psk = try PresharedKey(integrationServicesKey: key) } catch {
                throw RequestError(.invalidInput, "preshared-key must be 32 characters")
            }
            guard found.type.hasEpochKeys else {
                throw RequestError(.invalidInput, "the channel is public: read it with type=public")
            }
            credentials.presharedKeys = [psk]
            guard try await pskOpens(psk, channel: found) else {
                throw RequestError(.forbidden, "the preshared-key is not this channel's")
            }
        default:
            throw RequestError(.invalidInput, "type must be private or public")
        }
        let rows = try await store.packets(
            tenant, found.channelID, fromPosition: 0, start: page.start, end: page.end, ascending: page.ascending,
            limit: page.limit, offset: page.offset)
        return .array(try await present(rows, in: found, credentials: credentials))
    }

    /// Whether a pre-shared key has a slot in the channel's current keyload.
    func pskOpens(_ psk: PresharedKey, channel: ChannelRow) async throws -> Bool {
        guard channel.epoch > 0,
            let keyload = try await store.keyloads(channel.tenant, channel.channelID, epochs: [channel.epoch])[
                channel.epoch],
            let content = keyload.keyloadContent
        else { return false }
        let id = psk.id(in: channel.channelID)
        return content.pskSlots.contains { $0.pskID == id }
    }

    /// What a subscription reads with: its X25519 key held in custody, and its pre-shared key if it has one.
    func credentials(of subscription: SubscriptionRow, in channel: ChannelRow, plusKey: PrivatePlusKey?) async throws
        -> ReaderCredentials
    {
        var credentials = ReaderCredentials()
        if subscription.sealedKeys != nil {
            credentials.keyAgreementKey = try await keys(of: subscription, in: channel, plusKey: plusKey).keyAgreement
        }
        if let sealed = subscription.sealedPSK {
            credentials.presharedKeys = [
                try await openPSK(
                    sealed, tenant: channel.tenant,
                    row: ParticipantKeys.row(channelID: channel.channelID, subscriber: subscription.subscriber))
            ]
        }
        return credentials
    }

    /// Entries as Integration Services `ChannelData`, their sealed parts opened where `credentials` open the epoch.
    func present(_ rows: [EnvelopeRow], in channel: ChannelRow, credentials: ReaderCredentials) async throws
        -> [JSONValue]
    {
        let secrets = try await epochSecrets(Set(rows.map(\.envelope.epoch)), in: channel, credentials: credentials)
        let sources = Dictionary(
            try await store.subscriptions(channel.tenant, channel.channelID).map { ($0.publicKey, $0.subscriber) },
            uniquingKeysWith: { first, _ in first })
        return try rows.compactMap { row in
            guard let log = Self.log(of: row.envelope, secret: secrets[row.envelope.epoch]) else { return nil }
            var source: [String: JSONValue] = [
                "publicKey": .string(Hex.encode(row.envelope.publisher.rawRepresentation))
            ]
            if let did = sources[row.envelope.publisher.rawRepresentation] { source["id"] = .string(did) }
            return [
                "link": .string(ChannelAddress(channelID: row.envelope.id).description),
                "messageId": .string(try row.anchoredID.hex),
                "log": log.json,
                "imported": .string(Timestamp.iso8601(row.written)),
                "source": .object(source),
            ]
        }
    }

    /// The log of a packet, its sealed part opened with `secret` when given.
    static func log(of envelope: Envelope, secret: EpochSecret?) -> ChannelLog? {
        var privatePart = PrivatePayload.none
        if envelope.ephemeralKey != nil {
            if let secret, let plaintext = try? PacketCipher.open(envelope, with: secret) {
                privatePart = .plaintext(plaintext)
            } else {
                privatePart = .sealed
            }
        }
        return ChannelLog(publicPart: envelope.publicPayload, privatePart: privatePart)
    }

    /// The secrets of some epochs, from their keyloads' slots that `credentials` open.
    func epochSecrets(_ numbers: Set<UInt32>, in channel: ChannelRow, credentials: ReaderCredentials) async throws
        -> [UInt32: EpochSecret]
    {
        guard channel.type.hasEpochKeys, credentials.keyAgreementKey != nil || !credentials.presharedKeys.isEmpty
        else { return [:] }
        let keyloads = try await store.keyloads(channel.tenant, channel.channelID, epochs: numbers)
        var secrets: [UInt32: EpochSecret] = [:]
        for (number, keyload) in keyloads {
            guard let content = keyload.keyloadContent else { continue }
            let (_, secret) = ChannelReader.unseal(
                content, epoch: number, channelID: channel.channelID, credentials: credentials)
            secrets[number] = secret
        }
        return secrets
    }
}
