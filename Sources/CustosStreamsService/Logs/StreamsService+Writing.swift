import CustosCore
import CustosCrypto
import CustosServer
import CustosStreams
import Foundation
import PostgresNIO

extension StreamsService {
    /// Records a batch of entries into one channel in one transaction under its lock (``ChannelWriteQueue``): each
    /// entry is a signed packet of its publisher, in the epoch in force, continuing the publisher's chain; they go
    /// on the ledger after the commit (``anchored(_:_:_:)``). A request that may not write fails alone; a failure
    /// of the batch fails them all.
    func writeBatch(_ tenant: TenantID, _ channelID: Digest32, _ requests: [PacketRequest]) async
        -> [Result<WrittenPacket, any Error>]
    {
        do {
            try await anchoring.checkReachable(tenant: tenant)
            return try await store.withChannel(tenant, channelID) { connection, locked in
                var channel = locked
                var subscriptions = Dictionary(
                    try await store.subscriptions(tenant, channelID, on: connection).map { ($0.subscriber, $0) },
                    uniquingKeysWith: { first, _ in first })
                guard let author = subscriptions.values.first(where: { $0.kind == .author }) else {
                    throw RequestError(.internalFailure, "channel \(channel.address) has no author subscription")
                }
                if channel.rekeyPending, let request = requests.first(where: { $0.publisher == author.subscriber }) {
                    // A member left while the author's keys were closed: the new epoch comes before the author's
                    // entries.
                    let keys = try await participantKeys(author, in: channel, plusKey: request.plusKey)
                    let members = subscriptions.values.filter {
                        $0.kind == .subscriber && $0.isAuthorized && $0.sealedPSK == nil
                    }
                    let keyload = try await rekey(
                        &channel, members: Array(members), author: author, authorKeys: keys, on: connection)
                    for var member in members {
                        member.keyloadID = keyload.envelope.id
                        try await store.updateSubscription(tenant, member, on: connection)
                    }
                    subscriptions = Dictionary(
                        try await store.subscriptions(tenant, channelID, on: connection).map { ($0.subscriber, $0) },
                        uniquingKeysWith: { first, _ in first })
                }
                let epoch = try await currentEpoch(
                    channel, author: try Ed25519.PublicKey(rawRepresentation: author.publicKey))
                var results: [Result<(Envelope, Ed25519.PublicKey), any Error>] = []
                var publishers: [String: ChannelPublisher] = [:]
                for request in requests {
                    do {
                        guard let subscription = subscriptions[request.publisher] else {
                            throw RequestError(
                                .forbidden,
                                "\(request.publisher.prefix(128)) has no subscription to channel \(channel.address)")
                        }
                        guard subscription.isAuthorized, subscription.kind == .author || subscription.rights.canWrite
                        else {
                            throw RequestError(
                                .forbidden,
                                "the subscription of \(request.publisher.prefix(128)) does not allow writing to this "
                                    + "channel")
                        }
                        var publisher: ChannelPublisher
                        if let continuing = publishers[request.publisher] {
                            publisher = continuing
                        } else {
                            let keys = try await participantKeys(subscription, in: channel, plusKey: request.plusKey)
                            publisher = ChannelPublisher(
                                channelID: channelID, signingKey: keys.signing,
                                nextSequence: subscription.nextSequence, previous: subscription.previous)
                        }
                        let packet = try publisher.signedPacket(
                            in: epoch, publicPayload: request.publicPart, privatePayload: request.privatePart,
                            claimedTime: Self.claimedTime(now()))
                        // Checked here so that one entry too large fails alone, before its publisher's chain moves.
                        try Self.checkSize(packet)
                        publishers[request.publisher] = publisher
                        results.append(.success((packet, publisher.publicKey)))
                    } catch {
                        results.append(.failure(error))
                    }
                }
                let packets = results.compactMap { try? $0.get().0 }
                // When every entry failed alone, nothing is recorded.
                var rows = packets.isEmpty ? [] : try stage(packets, in: &channel)[...]
                if !rows.isEmpty {
                    try await store.recordEnvelopes(
                        channel, Array(rows),
                        chains: publishers.map { ($0.key, $0.value.nextSequence, $0.value.previous) }, on: connection)
                }
                return results.map { result in
                    result.map { _, key in WrittenPacket(row: rows.removeFirst(), publisher: key) }
                }
            }
        } catch {
            return requests.map { _ in .failure(error) }
        }
    }

    /// A participant's keys, from the cache or opened from custody; privatePlus keys are never cached, as they
    /// open only with the key each request brings.
    func participantKeys(_ subscription: SubscriptionRow, in channel: ChannelRow, plusKey: PrivatePlusKey?)
        async throws -> ParticipantKeys
    {
        guard plusKey == nil else { return try await keys(of: subscription, in: channel, plusKey: plusKey) }
        return try await participants.keys(channel.tenant, channel.channelID, subscription.subscriber) {
            try await keys(of: subscription, in: channel, plusKey: nil)
        }
    }

    /// A channel's type, which never changes: read once.
    func channelType(_ tenant: TenantID, _ address: ChannelAddress) async throws -> ChannelType {
        try await types.type(tenant, address.channelID) { try await channel(tenant, address).type }
    }
}

/// Participant keys opened from custody, kept for 30 s so that a stream of writes does not unseal them each time.
actor ParticipantKeyCache {
    private struct Key: Hashable {
        let tenant: TenantID
        let channelID: Digest32
        let subscriber: String
    }

    static let lifetime: Duration = .seconds(30)
    private static let capacity = 10_000
    private var entries: [Key: (keys: ParticipantKeys, expires: ContinuousClock.Instant)] = [:]

    func keys(
        _ tenant: TenantID, _ channelID: Digest32, _ subscriber: String,
        open: @Sendable () async throws -> ParticipantKeys
    ) async throws -> ParticipantKeys {
        let key = Key(tenant: tenant, channelID: channelID, subscriber: subscriber)
        let now = ContinuousClock.now
        if let entry = entries[key], entry.expires > now { return entry.keys }
        let keys = try await open()
        if entries.count >= Self.capacity { entries = entries.filter { $0.value.expires > now } }
        entries[key] = (keys, now + Self.lifetime)
        return keys
    }

    /// Forgets every participant key of a tenant, once it is erased.
    func forget(_ tenant: TenantID) {
        entries = entries.filter { $0.key.tenant != tenant }
    }

    /// Forgets a participant's keys, when its subscription or channel is deleted.
    func forget(_ tenant: TenantID, _ channelID: Digest32, _ subscriber: String? = nil) {
        entries = entries.filter { entry in
            !(entry.key.tenant == tenant && entry.key.channelID == channelID
                && (subscriber == nil || entry.key.subscriber == subscriber))
        }
    }
}

/// Channel types, immutable once a channel exists.
actor ChannelTypeCache {
    private var types: [String: ChannelType] = [:]

    func type(_ tenant: TenantID, _ channelID: Digest32, load: @Sendable () async throws -> ChannelType) async throws
        -> ChannelType
    {
        let key = tenant.rawValue + "/" + channelID.hex
        if let type = types[key] { return type }
        let type = try await load()
        if types.count >= 100_000 { types.removeAll(keepingCapacity: true) }
        types[key] = type
        return type
    }
}
