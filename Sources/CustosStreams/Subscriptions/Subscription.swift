import CustosCore
import CustosCrypto

/// A subscribe a reader has accepted and that was not withdrawn: what the author needs to add the subscriber.
public struct Subscription: Sendable, Hashable {
    /// The subscribe envelope's id; an unsubscribe links to it.
    public let id: Digest32
    /// The subscriber's Ed25519 key (the subscribe's publisher).
    public let subscriber: Ed25519.PublicKey
    /// The X25519 key the subscriber wants epoch secrets sealed to.
    public let keyAgreementKey: X25519.PublicKey
    /// The rights it asks for.
    public let requestedRights: AccessRights

    /// Creates a subscription record.
    public init(
        id: Digest32, subscriber: Ed25519.PublicKey, keyAgreementKey: X25519.PublicKey, requestedRights: AccessRights
    ) {
        self.id = id
        self.subscriber = subscriber
        self.keyAgreementKey = keyAgreementKey
        self.requestedRights = requestedRights
    }
}
