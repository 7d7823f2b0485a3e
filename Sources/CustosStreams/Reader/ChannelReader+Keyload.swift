import CustosCore
import CustosCrypto

extension ChannelReader {
    /// A keyload starts the epoch after the current one, links to the current anchor, comes from the author, and fits
    /// the channel type; then the reader looks for its own slot.
    mutating func readKeyload(
        _ envelope: Envelope, author: Ed25519.PublicKey, current: ChannelEpoch
    ) throws(StreamsError) -> ChannelEvent {
        guard envelope.publisher == author else {
            throw .notTheAuthor(type: .keyload, publisher: envelope.publisher)
        }
        let (next, overflow) = current.number.addingReportingOverflow(1)
        guard !overflow, envelope.epoch == next else { throw .wrongEpoch(expected: next, found: envelope.epoch) }
        guard envelope.link == current.anchor else { throw .wrongLink(expected: current.anchor, found: envelope.link) }
        try checkSignature(envelope)
        try checkChain(envelope)
        guard let content = envelope.keyloadContent else {
            throw .malformed(field: "public payload", reason: "is not a keyload content")
        }
        let channelType = announce?.channelType ?? .private
        if channelType.hasEpochKeys, content.epochPublicKey == nil {
            throw .keyloadDoesNotFitChannel(type: channelType, reason: "it has no epoch public key")
        }
        if !channelType.hasEpochKeys, content.epochPublicKey != nil {
            throw .keyloadDoesNotFitChannel(type: channelType, reason: "it carries an epoch key")
        }
        guard content.rights(of: author) == nil else {
            throw .malformed(field: "access list", reason: "must not list the author, who always reads and writes")
        }
        let (access, secret) = unseal(content, epoch: next)
        let epoch = ChannelEpoch(
            channelID: channelID, author: author, number: next, anchor: envelope.id,
            publicKey: content.epochPublicKey,
            keyCommitment: content.epochPublicKey == nil ? nil : content.keyCommitment,
            grants: content.grants)
        advanceChain(envelope)
        epochs.append(EpochRecord(epoch: epoch, access: access, secret: secret))
        return ChannelEvent(envelope: envelope, content: .keyload(epoch, access: access))
    }

    /// Finds the epoch secret in the reader's slot or a PSK slot, and checks it against the commitment, then the
    /// epoch public key.
    ///
    /// The commitment comes first because it pins all 32 bytes of the secret, while X25519 ignores some bits: a
    /// secret that differs only there has the right public key but would give another tag key.
    private func unseal(_ content: KeyloadContent, epoch: UInt32) -> (EpochAccess, EpochSecret?) {
        Self.unseal(content, epoch: epoch, channelID: channelID, credentials: credentials)
    }

    /// What `credentials` can do with the sealed parts of epoch `epoch` of channel `channelID`, whose keyload has
    /// `content`, and the epoch secret when they open it; for a reader of one epoch that has not read the channel
    /// from its start (a service reading for a subscriber whose keys it holds).
    ///
    /// The keyload itself must have been accepted by a ``ChannelReader`` before (its signature, author and place).
    public static func unseal(
        _ content: KeyloadContent, epoch: UInt32, channelID: Digest32, credentials: ReaderCredentials
    ) -> (EpochAccess, EpochSecret?) {
        guard let epochPublicKey = content.epochPublicKey else { return (.clear, nil) }
        let found: EpochSecret
        do throws(StreamsError) {
            guard
                let secret = try findSecret(
                    content, epoch: epoch, epochPublicKey: epochPublicKey, channelID: channelID,
                    credentials: credentials)
            else {
                return (.noAccess, nil)
            }
            found = secret
        } catch {
            return (.refused(error), nil)
        }
        guard constantTimeEquals(found.commitment(channelID: channelID, epoch: epoch), content.keyCommitment) else {
            return (.refused(.keyCommitmentMismatch(epoch: epoch)), nil)
        }
        guard found.publicKey == epochPublicKey else { return (.refused(.epochKeyMismatch(epoch: epoch)), nil) }
        return (.readable, found)
    }

    private static func findSecret(
        _ content: KeyloadContent, epoch: UInt32, epochPublicKey: X25519.PublicKey, channelID: Digest32,
        credentials: ReaderCredentials
    ) throws(StreamsError) -> EpochSecret? {
        if let key = credentials.keyAgreementKey {
            for slot in content.readerSlots {
                if let secret = try EpochSecret.open(readerSlot: slot, with: key, channelID: channelID, epoch: epoch) {
                    return secret
                }
            }
        }
        for psk in credentials.presharedKeys {
            let id = psk.id(in: channelID)
            if let slot = content.pskSlots.first(where: { $0.pskID == id }) {
                return try EpochSecret.open(
                    pskSlot: slot, with: psk, channelID: channelID, epoch: epoch, epochPublicKey: epochPublicKey)
            }
        }
        return nil
    }
}
