import CustosCore
import CustosCrypto

extension ChannelReader {
    /// A signed packet is in the current epoch, signed, next in its publisher's chain, by a writer of the epoch, and
    /// sealed only if the epoch has a key.
    mutating func readSignedPacket(_ envelope: Envelope, current: ChannelEpoch) throws(StreamsError) -> ChannelEvent {
        try checkInCurrentEpoch(envelope, current: current)
        try checkSignature(envelope)
        guard current.mayWrite(envelope.publisher) else {
            throw .notAWriter(
                publisher: envelope.publisher, epoch: current.number, rights: current.rights(of: envelope.publisher))
        }
        try checkChain(envelope)
        if envelope.ephemeralKey != nil, current.publicKey == nil {
            throw .sealedWithoutEpochKey(epoch: current.number)
        }
        let payload = open(envelope, epoch: current.number)
        advanceChain(envelope)
        return ChannelEvent(
            envelope: envelope,
            content: .signedPacket(
                publisher: envelope.publisher, publicPayload: envelope.publicPayload, privatePayload: payload))
    }

    /// A tagged packet is in the current epoch, which must have a key, and not read before; a reader with the epoch
    /// secret also checks its MAC.
    mutating func readTaggedPacket(_ envelope: Envelope, current: ChannelEpoch) throws(StreamsError) -> ChannelEvent {
        try checkInCurrentEpoch(envelope, current: current)
        guard current.publicKey != nil else { throw .taggedWithoutEpochKey(epoch: current.number) }
        let id = envelope.id
        guard !taggedIDs.contains(id) else { throw .replayed(id) }
        let secret = epochSecret(current.number)
        if let secret, !secret.tagKey(channelID: channelID, epoch: current.number).isValid(envelope) {
            throw .badTag(epoch: current.number)
        }
        let payload = open(envelope, epoch: current.number)
        taggedIDs.insert(id)
        return ChannelEvent(
            envelope: envelope,
            content: .taggedPacket(
                publicPayload: envelope.publicPayload, privatePayload: payload, authenticated: secret != nil))
    }

    /// A subscribe is signed by a subscriber other than the author, who has no active subscription.
    mutating func readSubscribe(_ envelope: Envelope, author: Ed25519.PublicKey) throws(StreamsError) -> ChannelEvent {
        try checkSignature(envelope)
        guard envelope.publisher != author else {
            throw .malformed(field: "publisher", reason: "is the author, who is always a member and never subscribes")
        }
        guard subscriptions[envelope.publisher] == nil else { throw .alreadySubscribed(envelope.publisher) }
        try checkChain(envelope)
        guard let content = envelope.subscribeContent else {
            throw .malformed(field: "public payload", reason: "is not a subscribe content")
        }
        let subscription = Subscription(
            id: envelope.id, subscriber: envelope.publisher, keyAgreementKey: content.keyAgreementKey,
            requestedRights: content.requestedRights)
        advanceChain(envelope)
        subscriptions[envelope.publisher] = subscription
        return ChannelEvent(envelope: envelope, content: .subscribe(subscription))
    }

    /// An unsubscribe is signed by a subscriber and links to its active subscription.
    ///
    /// It changes no rights by itself: the subscriber keeps what the current access list grants until the author's
    /// next keyload leaves it out.
    mutating func readUnsubscribe(_ envelope: Envelope) throws(StreamsError) -> ChannelEvent {
        try checkSignature(envelope)
        guard let subscription = subscriptions[envelope.publisher], subscription.id == envelope.link else {
            throw .unknownSubscription(publisher: envelope.publisher, link: envelope.link)
        }
        try checkChain(envelope)
        advanceChain(envelope)
        subscriptions[envelope.publisher] = nil
        return ChannelEvent(envelope: envelope, content: .unsubscribe(subscription))
    }

    private func open(_ envelope: Envelope, epoch: UInt32) -> PrivatePayload {
        guard envelope.ephemeralKey != nil else { return .none }
        guard let secret = epochSecret(epoch) else { return .sealed }
        do throws(StreamsError) {
            return .plaintext(try PacketCipher.open(envelope, with: secret) ?? [])
        } catch {
            return .undecryptable(error)
        }
    }
}
