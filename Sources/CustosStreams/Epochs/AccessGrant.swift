import CustosCrypto

/// One entry of a keyload's signed access list: `signingKey [32] | rights u8`.
///
/// Only `Write` and `ReadAndWrite` entries matter to validation (their signed packets are accepted); `Read` and
/// `Audit` entries record publicly who was given the epoch secret, when the author chooses to say so.
public struct AccessGrant: Sendable, Hashable {
    /// Encoded size.
    public static let byteCount = 33

    /// The member's Ed25519 key, as it appears as an envelope's publisher.
    public let signingKey: Ed25519.PublicKey
    /// What the member may do in the epoch.
    public let rights: AccessRights

    /// Pairs a key with its rights.
    public init(signingKey: Ed25519.PublicKey, rights: AccessRights) {
        self.signingKey = signingKey
        self.rights = rights
    }
}
