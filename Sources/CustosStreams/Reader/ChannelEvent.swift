import CustosCore
import CustosCrypto

/// What `ChannelReader` found in an envelope it accepted.
public struct ChannelEvent: Sendable, Hashable {
    /// The envelope's meaning to this reader.
    public enum Content: Sendable, Hashable {
        /// The channel was announced.
        case announce(AnnounceContent)
        /// A new epoch started; `access` says whether this reader can read it.
        case keyload(ChannelEpoch, access: EpochAccess)
        /// A writer's entry.
        case signedPacket(publisher: Ed25519.PublicKey, publicPayload: [UInt8], privatePayload: PrivatePayload)
        /// A reader's unattributable entry; `authenticated` is false for a reader without the epoch secret, which
        /// cannot check the MAC.
        case taggedPacket(publicPayload: [UInt8], privatePayload: PrivatePayload, authenticated: Bool)
        /// Someone asked the author for access.
        case subscribe(Subscription)
        /// A subscriber withdrew the subscription.
        case unsubscribe(Subscription)
    }

    /// The envelope's id.
    public let id: Digest32
    /// The envelope.
    public let envelope: Envelope
    /// What it means.
    public let content: Content

    /// Pairs an envelope with its meaning.
    public init(envelope: Envelope, content: Content) {
        self.id = envelope.id
        self.envelope = envelope
        self.content = content
    }
}
