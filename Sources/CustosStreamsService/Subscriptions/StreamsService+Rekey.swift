import CustosCore
import CustosCrypto
import CustosServer
import CustosStreams
import Foundation
import PostgresNIO

extension StreamsService {
    /// Starts a new epoch whose members are `members` (the authorized subscriptions but the author's), signed by
    /// the author: one keyload, whatever the number of members (Integration Services sent 1 + N). Returns the
    /// keyload's row, and the members with their keyload recorded; the caller holds the channel's lock.
    func rekey(
        _ channel: inout ChannelRow, members: [SubscriptionRow], author: SubscriptionRow, authorKeys: ParticipantKeys,
        on connection: PostgresConnection
    ) async throws -> EnvelopeRow {
        var channelMembers: [ChannelMember] = []
        for member in members {
            let keyAgreement = try member.keyAgreementKey.map { try X25519.PublicKey(rawRepresentation: $0) }
            if member.rights.canRead, keyAgreement == nil {
                throw RequestError(
                    .conflict,
                    "the subscription of \(member.subscriber.prefix(128)) names no key agreement key, so it can be "
                        + "authorized for Write only")
            }
            channelMembers.append(
                ChannelMember(
                    signingKey: try Ed25519.PublicKey(rawRepresentation: member.publicKey),
                    keyAgreementKey: member.rights.canRead ? keyAgreement : nil, rights: member.rights))
        }
        let authorPublic = try Ed25519.PublicKey(rawRepresentation: author.publicKey)
        var channelAuthor = ChannelAuthor(
            channelType: channel.type, keyAgreementKey: authorKeys.keyAgreement,
            publisher: ChannelPublisher(
                channelID: channel.channelID, signingKey: authorKeys.signing, nextSequence: author.nextSequence,
                previous: author.previous),
            epoch: try await currentEpoch(channel, author: authorPublic), epochSecret: nil)
        var psks: [PresharedKey] = []
        if let sealed = channel.sealedPSK {
            psks.append(try await openPSK(sealed, tenant: channel.tenant, row: channel.channelID.hex))
        }
        let keyload = try channelAuthor.keyload(
            members: channelMembers, presharedKeys: psks, claimedTime: Self.claimedTime(now()))
        let rows = try await append([keyload], to: &channel, on: connection)
        var updatedAuthor = author
        updatedAuthor.nextSequence = channelAuthor.publisher.nextSequence
        updatedAuthor.previous = channelAuthor.publisher.previous
        updatedAuthor.keyloadID = keyload.id
        try await store.updateSubscription(channel.tenant, updatedAuthor, on: connection)
        channel.rekeyPending = false
        try await store.advance(channel, on: connection)
        return rows[0]
    }

    /// The author's subscription among a channel's, and its keys when `plusKey` (on privatePlus channels) opens them.
    func author(in subscriptions: [SubscriptionRow], channel: ChannelRow, plusKey: PrivatePlusKey?) async throws
        -> (row: SubscriptionRow, keys: ParticipantKeys?)
    {
        guard let author = subscriptions.first(where: { $0.kind == .author }) else {
            throw RequestError(.internalFailure, "channel \(channel.address) has no author subscription")
        }
        if channel.type == .privatePlus, plusKey == nil { return (author, nil) }
        return (author, try await keys(of: author, in: channel, plusKey: plusKey))
    }

    /// Changes the membership of a channel under its lock: `change` edits the subscriptions (and returns what to
    /// delete); then, when the authorized members changed, one keyload starts the epoch without whoever left and
    /// with whoever joined. When the author's keys stay closed (a privatePlus channel and a request without the
    /// author's asym-shared-key) the keyload waits for the author's next request, and the channel says so.
    ///
    /// Returns the keyload, if one was made, once it is on the ledger.
    func changeMembers(
        _ tenant: TenantID, address: ChannelAddress, plusKey: PrivatePlusKey?,
        _ change: @escaping @Sendable (inout [SubscriptionRow], ChannelRow) throws -> MembershipChange
    ) async throws -> EnvelopeRow? {
        guard var keyload = try await recordMembers(tenant, address: address, plusKey: plusKey, change) else {
            return nil
        }
        keyload.messageID = try await anchored(tenant, address.channelID, [keyload])[0]
        return keyload
    }

    private func recordMembers(
        _ tenant: TenantID, address: ChannelAddress, plusKey: PrivatePlusKey?,
        _ change: @escaping @Sendable (inout [SubscriptionRow], ChannelRow) throws -> MembershipChange
    ) async throws -> EnvelopeRow? {
        try await store.withChannel(tenant, address.channelID) { connection, locked in
            var channel = locked
            var subscriptions = try await store.subscriptions(tenant, channel.channelID, on: connection)
            let before = Self.membership(subscriptions)
            let outcome = try change(&subscriptions, channel)
            for did in outcome.deleted {
                try await store.deleteSubscription(tenant, channel.channelID, subscriber: did, on: connection)
                await participants.forget(tenant, channel.channelID, did)
            }
            let remaining = subscriptions.filter { !outcome.deleted.contains($0.subscriber) }
            let after = Self.membership(remaining)
            var keyload: EnvelopeRow?
            if before != after || channel.rekeyPending {
                let (author, keys) = try await author(in: remaining, channel: channel, plusKey: plusKey)
                if let keys {
                    let members = remaining.filter { $0.kind == .subscriber && $0.isAuthorized && $0.sealedPSK == nil }
                    let row = try await rekey(
                        &channel, members: members, author: author, authorKeys: keys, on: connection)
                    keyload = row
                } else {
                    channel.rekeyPending = true
                    try await store.advance(channel, on: connection)
                }
            }
            for var subscription in remaining where subscription.kind == .subscriber {
                if let keyload, subscription.isAuthorized, subscription.sealedPSK == nil {
                    subscription.keyloadID = keyload.envelope.id
                    if outcome.joined.contains(subscription.subscriber) {
                        subscription.firstPosition = keyload.position
                    }
                }
                if !subscription.isAuthorized, subscription.sealedPSK == nil { subscription.firstPosition = nil }
                try await store.updateSubscription(tenant, subscription, on: connection)
            }
            return keyload
        }
    }

    /// Who is in the epoch and with which rights: what a keyload must follow.
    static func membership(_ subscriptions: [SubscriptionRow]) -> [String: AccessRights] {
        Dictionary(
            subscriptions.filter { $0.kind == .subscriber && $0.isAuthorized && $0.sealedPSK == nil }
                .map { ($0.subscriber, $0.rights) }, uniquingKeysWith: { first, _ in first })
    }
}

/// What a membership change did, besides editing subscriptions in place.
struct MembershipChange: Sendable {
    /// Subscriptions to delete.
    var deleted: Set<String> = []
    /// Subscriptions that start reading with the next keyload.
    var joined: Set<String> = []
}
