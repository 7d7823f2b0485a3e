import CustosCore
import CustosCrypto
import CustosStore

/// A participant's keys in one channel, held in custody: Ed25519 to sign envelopes, X25519 to open reader slots.
///
/// Like an Integration Services Streams seed, the seed a client gets back (or gave) is the participant's identity
/// in the channel: the keys derive from it and a context (docs/channels.md §14) — the channel id for subscribers,
/// the announce's nonce for the author, whose keys sign the announce that makes the channel id — so the same seed
/// in two channels gives unrelated keys, and a client that keeps its seed can always rebuild its keys. The worker
/// keeps only the keys, sealed, never the seed.
struct ParticipantKeys: Sendable {
    let signing: Ed25519.PrivateKey
    let keyAgreement: X25519.PrivateKey

    /// The purpose the sealed keys are bound to.
    static let purpose = "channel-participant"
    /// Integration Services seeds are 72 lowercase letters when the server makes them.
    static let generatedSeedLength = 72

    /// The keys of `seed` in `context`.
    init(seed: String, context: [UInt8]) {
        let root = BLAKE2b.hash256(Array("custos/streams/v1/seed".utf8) + [0] + Array(seed.utf8))
        func derive(_ name: String) -> [UInt8] {
            // A 32-byte key and output are in range.
            try! BLAKE2b.hash(Array("custos/streams/v1/\(name)".utf8) + [0] + context, key: root)
        }
        signing = try! Ed25519.PrivateKey(seed: derive("participant-sign"))  // 32 bytes
        keyAgreement = try! X25519.PrivateKey(rawRepresentation: derive("participant-kex"))  // 32 bytes
    }

    private init(signing: Ed25519.PrivateKey, keyAgreement: X25519.PrivateKey) {
        self.signing = signing
        self.keyAgreement = keyAgreement
    }

    /// A fresh seed of 72 lowercase letters, each drawn uniformly.
    static func generateSeed() -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        return String((0..<generatedSeedLength).map { _ in letters[Int(SecureRandom.uniform(upperBound: 26))] })
    }

    /// The row the sealed keys are bound to: the channel and the subscriber.
    static func row(channelID: Digest32, subscriber: String) -> String { channelID.hex + "/" + subscriber }

    /// The keys sealed under the tenant's streams data key, and on privatePlus channels first under the
    /// participant's asym-shared-key, so that they open only when the client sends that key again.
    func sealed(with dataKey: TenantDataKey, row: String, plusKey: PrivatePlusKey?) throws -> [UInt8] {
        var secret = signing.seed + keyAgreement.rawRepresentation
        defer { secret.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        let inner = try plusKey.map {
            try XChaCha20Poly1305.seal(secret, using: $0.key, authenticating: Array(row.utf8))
        }
        return try dataKey.seal(inner ?? secret, purpose: Self.purpose, row: row)
    }

    /// Opens sealed keys; on privatePlus channels `plusKey` must be the participant's asym-shared-key.
    static func open(_ sealed: [UInt8], with dataKey: TenantDataKey, row: String, plusKey: PrivatePlusKey?) throws
        -> ParticipantKeys
    {
        var outer = try dataKey.open(sealed, purpose: purpose, row: row)
        defer { outer.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        var secret: [UInt8]
        if let plusKey {
            do { secret = try XChaCha20Poly1305.open(outer, using: plusKey.key, authenticating: Array(row.utf8)) } catch
            {
                throw RequestError(.forbidden, "the asym-shared-key does not open this participant's keys")
            }
        } else {
            secret = outer
        }
        defer { secret.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
        guard secret.count == 64 else { throw RequestError(.internalFailure, "sealed participant keys are malformed") }
        return ParticipantKeys(
            signing: try Ed25519.PrivateKey(seed: secret.prefix(32)),
            keyAgreement: try X25519.PrivateKey(rawRepresentation: secret.suffix(32)))
    }
}
