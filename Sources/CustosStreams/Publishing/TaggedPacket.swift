import CustosCore
import CustosCrypto

/// Builds tagged packets: authenticated with the epoch's tag key, so only a holder of the epoch secret can make
/// one, and any of them could have (docs/channels.md §7).
public enum TaggedPacket {
    /// A tagged packet in `epoch`, which must have an epoch key whose secret is `secret`.
    public static func make(
        in epoch: ChannelEpoch, secret: EpochSecret, publicPayload: [UInt8], privatePayload: [UInt8]?,
        claimedTime: UInt64, randomness: SealingRandomness = SealingRandomness()
    ) throws(StreamsError) -> Envelope {
        guard let epochPublicKey = epoch.publicKey else { throw .taggedWithoutEpochKey(epoch: epoch.number) }
        guard secret.publicKey == epochPublicKey else { throw .epochKeyMismatch(epoch: epoch.number) }
        var draft = EnvelopeDraft(type: .taggedPacket, channelID: epoch.channelID)
        draft.epoch = epoch.number
        draft.link = epoch.anchor
        draft.claimedTime = claimedTime
        draft.publicPayload = publicPayload
        if let privatePayload {
            try PacketCipher.seal(privatePayload, into: &draft, epochPublicKey: epochPublicKey, randomness: randomness)
        }
        return try draft.tagged(with: secret.tagKey(channelID: epoch.channelID, epoch: epoch.number))
    }
}
