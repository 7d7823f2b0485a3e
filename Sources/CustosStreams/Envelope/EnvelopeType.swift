/// What an envelope is; the `type` byte of docs/channels.md §3.
public enum EnvelopeType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Creates the channel: the author's keys and the channel type. Its id is the channel id.
    case announce = 1
    /// Starts an epoch: the epoch public key, the epoch secret for each reader and pre-shared key, the access list.
    case keyload = 2
    /// An entry signed by a writer: public payload in clear, private payload sealed to the epoch key.
    case signedPacket = 3
    /// An entry authenticated with the epoch's tag key instead of a signature: any reader could have made it.
    case taggedPacket = 4
    /// A participant asks the author for access, naming its keys and the rights it wants.
    case subscribe = 5
    /// A subscriber withdraws its subscription.
    case unsubscribe = 6

    /// Tagged packets end in a 32-byte MAC, every other type in a 64-byte Ed25519 signature.
    public var trailerByteCount: Int { self == .taggedPacket ? 32 : 64 }

    /// Whether the envelope is signed by its publisher (every type but tagged packets).
    public var isSigned: Bool { self != .taggedPacket }

    /// The name used in messages and docs, e.g. `signed packet`.
    public var description: String {
        switch self {
        case .announce: "announce"
        case .keyload: "keyload"
        case .signedPacket: "signed packet"
        case .taggedPacket: "tagged packet"
        case .subscribe: "subscribe"
        case .unsubscribe: "unsubscribe"
        }
    }
}
