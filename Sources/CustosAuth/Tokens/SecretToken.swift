import CustosCore
import CustosCrypto

/// A bearer secret of the platform: a tenant API key (`cst_`) or a platform administrator token (`csa_`).
///
/// Format: prefix + base58(32 random bytes ‖ 4-byte BLAKE2b checksum). The checksum lets typos and
/// truncated keys be rejected before any lookup. Only `hash` is stored; the key id derives from the hash,
/// so listing keys reveals nothing about the secrets.
public struct SecretToken: Sendable, CustomStringConvertible {
    /// What the token grants.
    public enum Kind: String, Sendable {
        /// A tenant API key.
        case apiKey = "cst_"
        /// A platform administrator token.
        case adminToken = "csa_"

        var personalization: [UInt8] {
            switch self {
            case .apiKey: Array("custos-api-key".utf8)
            case .adminToken: Array("custos-admin".utf8)
            }
        }
    }

    /// The kind.
    public let kind: Kind
    /// The full secret text; show once, never log.
    public let secret: String
    /// The stored form: keyed by kind, so an API key never matches an admin token.
    public let hash: [UInt8]

    /// The variable that hands a process an administrator token (the control plane registers it at start; custosctl
    /// presents it), so it never appears on a command line.
    public static let administratorEnvironmentKey = "CUSTOS_ADMIN_TOKEN"

    /// A fresh random token.
    public static func generate(_ kind: Kind) -> SecretToken {
        let random = SecureRandom.bytes(count: 32)
        let secret = kind.rawValue + Base58.encode(random + checksum(random, kind))
        return SecretToken(kind: kind, secret: secret)
    }

    /// Parses a presented token, checking prefix, length and checksum.
    public init(parsing text: some StringProtocol, as kind: Kind) throws(CredentialError) {
        guard text.hasPrefix(kind.rawValue), text.utf8.count < 80 else { throw CredentialError.malformed(kind) }
        guard let body = try? Base58.decode(text.dropFirst(kind.rawValue.count)), body.count == 36,
            constantTimeEquals(Self.checksum(Array(body.prefix(32)), kind), body.suffix(4))
        else { throw CredentialError.malformed(kind) }
        self.init(kind: kind, secret: String(text))
    }

    private init(kind: Kind, secret: String) {
        self.kind = kind
        self.secret = secret
        // Personalisations are 16 bytes or fewer, the documented BLAKE2b limit.
        hash = try! BLAKE2b.hash(Array(secret.utf8), personalization: kind.personalization)
    }

    /// The public identifier: derived from the hash, safe to list and log.
    public var id: String { Self.id(forHash: hash) }

    /// The public identifier of a stored hash.
    public static func id(forHash hash: [UInt8]) -> String { "key_" + Hex.encode(hash.prefix(8)) }

    private static func checksum(_ random: [UInt8], _ kind: Kind) -> [UInt8] {
        Array(BLAKE2b.hash256(random + kind.personalization).prefix(4))
    }

    public var description: String { "SecretToken(\(id))" }
}
