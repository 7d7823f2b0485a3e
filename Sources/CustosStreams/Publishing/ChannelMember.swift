import CustosCrypto

/// Someone the author grants rights in a keyload: whoever reads gets a reader slot, every member gets a grant.
public struct ChannelMember: Sendable, Hashable {
    /// The member's Ed25519 key, listed in the access list.
    public let signingKey: Ed25519.PublicKey
    /// The member's X25519 key, which its reader slot is sealed to; needed exactly when `rights.canRead`.
    public let keyAgreementKey: X25519.PublicKey?
    /// What the member may do in the epoch.
    public let rights: AccessRights

    /// Creates a member.
    public init(signingKey: Ed25519.PublicKey, keyAgreementKey: X25519.PublicKey?, rights: AccessRights) {
        self.signingKey = signingKey
        self.keyAgreementKey = keyAgreementKey
        self.rights = rights
    }

    /// The member a subscription asks for, with the requested rights unless the author grants others.
    public init(subscription: Subscription, rights: AccessRights? = nil) {
        self.init(
            signingKey: subscription.subscriber, keyAgreementKey: subscription.keyAgreementKey,
            rights: rights ?? subscription.requestedRights)
    }
}
