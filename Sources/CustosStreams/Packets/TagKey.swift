import CustosCore
import CustosCrypto

/// The key that authenticates an epoch's tagged packets:
/// `BLAKE2b-256(key = ESK, "custos/channel/v1/tag-key" NUL ‖ channelId ‖ epoch u32)`.
///
/// Every reader of the epoch holds it, so a valid MAC proves only that some reader made the packet, not which one.
public struct TagKey: Sendable {
    private let key: [UInt8]

    init(epochSecret: EpochSecret, channelID: Digest32, epoch: UInt32) {
        var message = ChannelDomain.tagKey + channelID.bytes
        message.appendLittleEndian(epoch)
        key = try! BLAKE2b.hash(message, key: epochSecret.rawRepresentation)  // sizes are in range
    }

    /// `BLAKE2b-256(key = tagKey, "custos/channel/v1/tag" NUL ‖ body)`.
    public func mac(body: [UInt8]) -> [UInt8] {
        try! BLAKE2b.hash(ChannelDomain.tag + body, key: key)  // sizes are in range
    }

    /// Checks a tagged packet's MAC in constant time.
    public func isValid(_ envelope: Envelope) -> Bool {
        envelope.type == .taggedPacket && constantTimeEquals(mac(body: envelope.body), envelope.trailer)
    }
}
