import CustosCore
import CustosCrypto
import Foundation

/// The control plane's own signing key for the records of the platform's audit ledger (version 2 records).
///
/// The ledger's coordinator key proves where an entry sits in the log; this key proves that the control plane
/// wrote it. Whoever holds only the internal service token can append to the audit ledger through the ledger
/// worker, but cannot sign a record with this key, so `custosctl audit verify` rejects what it appends. Only the
/// control plane should hold it (`custos up` keeps it in its data directory and hands it to the control plane
/// alone, in ``environmentKey``).
public struct PlatformAuditSigningKey: Sendable {
    /// The variable the control plane reads the key from: the base64 of the 32-byte Ed25519 seed.
    public static let environmentKey = "CUSTOS_AUDIT_SIGNING_KEY"
    /// The variable holding the key the audit is handed over from while it is rotated (same form).
    public static let previousEnvironmentKey = "CUSTOS_AUDIT_SIGNING_KEY_PREVIOUS"

    /// The Ed25519 key.
    public let privateKey: Ed25519.PrivateKey

    /// A new random key.
    public init() { privateKey = Ed25519.PrivateKey() }

    /// Reads the base64 of a 32-byte seed (surrounding white space ignored).
    public init(encoded: String) throws(PlatformAuditError) {
        let text = encoded.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let seed = try? Base64.decode(text), seed.count == Ed25519.PrivateKey.seedByteCount,
            let key = try? Ed25519.PrivateKey(seed: seed)
        else {
            throw PlatformAuditError(
                "an audit signing key is the base64 of a 32-byte Ed25519 seed (\(text.utf8.count) characters given)")
        }
        privateKey = key
    }

    /// The base64 of the seed, as ``init(encoded:)`` reads it.
    public var encoded: String { Base64.encode(privateKey.seed) }

    /// The public key as records name it (`signer`): base64 of its 32 bytes.
    public var signer: String { Base64.encode(privateKey.publicKey.rawRepresentation) }
}
