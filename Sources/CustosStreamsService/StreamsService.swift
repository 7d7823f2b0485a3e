import CustosClients
import CustosCore
import CustosCrypto
import CustosLedger
import CustosServer
import CustosStore
import CustosStreams
import Foundation
import Logging
import PostgresNIO

/// The streams worker's domain: audit-trail channels built from the channel protocol of `CustosStreams`, with
/// participants' keys held in custody, every envelope an entry of the tenant's ledger (docs/channels.md §14).
/// Routes are thin controllers over it.
struct StreamsService: Sendable {
    let store: StreamsStore
    let ledger: LedgerClient
    let ssi: SSIClient
    let logger: Logger
    let epochs = EpochCache()
    let participants = ParticipantKeyCache()
    let types = ChannelTypeCache()
    /// Coalesces concurrent writes to a channel.
    let writes = ChannelWriteQueue()
    /// Puts recorded envelopes on the ledger.
    let anchoring = EnvelopeAnchoring()
    /// The current time; tests pass a fixed clock.
    let now: @Sendable () -> Date

    init(
        store: StreamsStore, ledger: LedgerClient, ssi: SSIClient, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.ledger = ledger
        self.ssi = ssi
        self.logger = logger
        self.now = now
    }

    /// Parses a channel address, or a 400 that says what is wrong with it.
    static func address(_ text: String, field: String = "channelAddress") throws(RequestError) -> ChannelAddress {
        do { return try ChannelAddress(text) } catch {
            throw RequestError(.invalidInput, "\(field) is not a channel address: \(error.description)")
        }
    }

    /// The tenant's channel at `address`, or a 404.
    func channel(_ tenant: TenantID, _ address: ChannelAddress) async throws -> ChannelRow {
        guard let row = try await store.channel(tenant, address.channelID) else {
            throw RequestError(.notFound, "this tenant has no channel \(address)")
        }
        return row
    }

    /// The caller's subscription to a channel; a 403 without one.
    func subscription(of caller: String, in channel: ChannelRow) async throws -> SubscriptionRow {
        guard let found = try await store.subscription(channel.tenant, channel.channelID, subscriber: caller) else {
            throw RequestError(.forbidden, "\(caller.prefix(128)) has no subscription to channel \(channel.address)")
        }
        return found
    }

    /// The Unix milliseconds publishers claim in their envelopes.
    static func claimedTime(_ date: Date) -> UInt64 { UInt64(max(0, date.timeIntervalSince1970 * 1000)) }

    // MARK: Custody

    /// The participant keys of a subscription held in custody.
    func keys(of subscription: SubscriptionRow, in channel: ChannelRow, plusKey: PrivatePlusKey?) async throws
        -> ParticipantKeys
    {
        guard let sealed = subscription.sealedKeys else {
            throw RequestError(
                .conflict,
                "the keys of \(subscription.subscriber.prefix(128))'s subscription are held by the subscriber, so the "
                    + "service cannot sign or read for it")
        }
        let dataKey = try await store.keyring.dataKey(tenant: channel.tenant, component: .streams)
        return try ParticipantKeys.open(
            sealed, with: dataKey,
            row: ParticipantKeys.row(channelID: channel.channelID, subscriber: subscription.subscriber),
            plusKey: plusKey)
    }

    /// Seals a participant's keys under the tenant's streams data key (created on first use).
    func seal(
        _ keys: ParticipantKeys, tenant: TenantID, channelID: Digest32, subscriber: String, plusKey: PrivatePlusKey?
    )
        async throws -> [UInt8]
    {
        let dataKey = try await store.keyring.create(tenant: tenant, component: .streams)
        return try keys.sealed(
            with: dataKey, row: ParticipantKeys.row(channelID: channelID, subscriber: subscriber), plusKey: plusKey)
    }

    /// Seals a pre-shared key for a channel or a subscription.
    func seal(psk: PresharedKey, tenant: TenantID, row: String) async throws -> [UInt8] {
        let dataKey = try await store.keyring.create(tenant: tenant, component: .streams)
        return try dataKey.seal(psk.rawRepresentation, purpose: "channel-psk", row: row)
    }

    /// Opens a sealed pre-shared key.
    func openPSK(_ sealed: [UInt8], tenant: TenantID, row: String) async throws -> PresharedKey {
        let dataKey = try await store.keyring.dataKey(tenant: tenant, component: .streams)
        return try PresharedKey(rawRepresentation: try dataKey.open(sealed, purpose: "channel-psk", row: row))
    }

    // MARK: Epochs

    /// The epoch in force in a channel, from its keyload (the author's epoch 0 before the first).
    func currentEpoch(_ channel: ChannelRow, author: Ed25519.PublicKey) async throws -> ChannelEpoch {
        guard channel.epoch > 0 else {
            return ChannelEpoch(
                channelID: channel.channelID, author: author, number: 0, anchor: channel.channelID, publicKey: nil,
                keyCommitment: nil, grants: [])
        }
        return try await epochs.epoch(channel.tenant, channel.channelID, channel.epoch) {
            guard let row = try await store.envelope(channel.tenant, channel.channelID, id: channel.epochAnchor),
                let content = row.envelope.keyloadContent
            else { throw RequestError(.internalFailure, "the keyload of epoch \(channel.epoch) is missing") }
            return ChannelEpoch(
                channelID: channel.channelID, author: author, number: channel.epoch, anchor: row.envelope.id,
                publicKey: content.epochPublicKey,
                keyCommitment: content.epochPublicKey == nil ? nil : content.keyCommitment, grants: content.grants)
        }
    }

    // MARK: Writing envelopes

    /// Records envelopes in the channel, in order, to be put on the ledger once the transaction commits
    /// (``anchored(_:_:_:)``); the caller holds the channel's lock (``StreamsStore/withChannel(_:_:_:)``) and
    /// writes the participants' new chain positions.
    func append(_ envelopes: [Envelope], to channel: inout ChannelRow, on connection: PostgresConnection) async throws
        -> [EnvelopeRow]
    {
        let rows = try stage(envelopes, in: &channel)
        try await store.recordEnvelopes(channel, rows, chains: [], on: connection)
        return rows
    }

    /// Refuses an envelope that a ledger message cannot carry.
    static func checkSize(_ envelope: Envelope) throws(RequestError) {
        guard envelope.bytes.count <= Envelope.maximumByteCount else {
            throw RequestError(
                .payloadTooLarge,
                "the entry takes \(envelope.bytes.count) bytes as an envelope; a ledger message holds at most "
                    + "\(Envelope.maximumByteCount)")
        }
    }

    /// Gives envelopes the channel's next positions, not anchored yet.
    func stage(_ envelopes: [Envelope], in channel: inout ChannelRow) throws -> [EnvelopeRow] {
        for envelope in envelopes { try Self.checkSize(envelope) }
        // Written times never go back, so a date range is a range of positions.
        let written = max(now(), channel.latestMessage ?? .distantPast)
        var rows: [EnvelopeRow] = []
        for envelope in envelopes {
            rows.append(
                EnvelopeRow(position: channel.nextPosition, messageID: nil, written: written, envelope: envelope))
            channel.nextPosition += 1
            if envelope.type == .keyload {
                channel.epoch = envelope.epoch
                channel.epochAnchor = envelope.id
            }
        }
        channel.latestMessage = written
        return rows
    }

    /// Waits until the channel's envelopes `rows`, recorded and committed, are on the tenant ledger, and returns
    /// their message ids in order.
    func anchored(_ tenant: TenantID, _ channelID: Digest32, _ rows: [EnvelopeRow]) async throws -> [Digest32] {
        try await anchoring.messageIDs(rows, tenant: tenant, channelID: channelID) { tenant, channels in
            try await anchorRound(tenant, channels)
        }
    }

    /// One anchoring round of a tenant: its channels' pending envelopes go to the ledger in one batch.
    private func anchorRound(_ tenant: TenantID, _ channels: [ChannelAnchoring]) async throws
        -> [Digest32: AnchorRound]
    {
        do {
            return try await store.anchor(
                tenant, channels, limit: EnvelopeAnchoring.roundLimit, maximumBytes: EnvelopeAnchoring.roundBytes
            ) { envelopes in
                let entries = try envelopes.map { envelope in
                    try LedgerEntry(
                        payload: try TaggedData(tag: envelope.ledgerTag, data: envelope.bytes),
                        contentType: "application/vnd.custos.channel-envelope")
                }
                return try await ledger.submit(tenant: tenant, entries: entries)
            }
        } catch {
            logger.warning(
                "channel envelopes not anchored yet",
                metadata: ["tenant": "\(tenant)", "channels": "\(channels.count)", "error": "\(error)"])
            throw error
        }
    }
}

/// The epochs of channels, read from their keyloads: immutable, so kept until the cache is full.
actor EpochCache {
    private var epochs: [String: ChannelEpoch] = [:]
    private static let capacity = 10_000

    func epoch(
        _ tenant: TenantID, _ channelID: Digest32, _ number: UInt32,
        load: @Sendable () async throws -> ChannelEpoch
    ) async throws -> ChannelEpoch {
        let key = "\(tenant.rawValue)/\(channelID.hex)/\(number)"
        if let epoch = epochs[key] { return epoch }
        let epoch = try await load()
        if epochs.count >= Self.capacity { epochs.removeAll(keepingCapacity: true) }
        epochs[key] = epoch
        return epoch
    }
}
