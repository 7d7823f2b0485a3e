import CustosCrypto

/// The secrets a reader may hold: its X25519 key (for reader slots) and pre-shared keys (for PSK slots).
///
/// A keyless auditor holds neither: it still checks every signature, chain, epoch and access list.
public struct ReaderCredentials: Sendable {
    /// The key reader slots are sealed to.
    public var keyAgreementKey: X25519.PrivateKey?
    /// Pre-shared keys whose PSK slots the reader tries.
    public var presharedKeys: [PresharedKey]

    /// Credentials; none by default, which makes a keyless auditor.
    public init(keyAgreementKey: X25519.PrivateKey? = nil, presharedKeys: [PresharedKey] = []) {
        self.keyAgreementKey = keyAgreementKey
        self.presharedKeys = presharedKeys
    }
}
