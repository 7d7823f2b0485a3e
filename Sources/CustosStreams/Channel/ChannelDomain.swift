/// The domain-separation prefixes of docs/channels.md §2: ASCII, each ended by a NUL byte.
///
/// The NUL makes the set prefix-free, and keeps every signing input apart from the other uses of the same keys: a
/// participant's Ed25519 key may also sign JCS documents (which start with `{`) or checkpoint notes (which never
/// contain NUL), and no such message starts with `custos/channel/v1/signature` and a NUL.
enum ChannelDomain {
    /// Prefix of every Ed25519 signing input of an envelope.
    static let signature = prefix("signature")
    /// Prefix of the key commitment of a keyload.
    static let commitment = prefix("commitment")
    /// Prefix of a pre-shared key's id within a channel.
    static let pskID = prefix("psk-id")
    /// Prefix of the key that wraps an epoch secret for a pre-shared key.
    static let pskWrap = prefix("psk-wrap")
    /// Prefix of a packet's content key.
    static let packetKey = prefix("packet-key")
    /// Prefix of an epoch's tag key.
    static let tagKey = prefix("tag-key")
    /// Prefix of a tagged packet's MAC input.
    static let tag = prefix("tag")
    /// Prefix of a channel address's check bytes.
    static let address = prefix("address")

    private static func prefix(_ name: String) -> [UInt8] {
        Array("custos/channel/v1/\(name)".utf8) + [0]
    }
}
