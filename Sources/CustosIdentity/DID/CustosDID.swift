import CustosCore
import CustosCrypto

/// The `did:custos:<network>:<tag>` method: network `[a-z0-9]{1,16}` (the tenant ledger's network name),
/// tag = base58btc(BLAKE2b-256(initial Ed25519 public key)), which makes the DID self-certifying.
public struct CustosDID: Hashable, Sendable, CustomStringConvertible {
    /// The DID.
    public let did: DID
    /// The ledger network name.
    public let network: String
    /// The base58btc tag.
    public let tag: String

    /// The DID of a new identity whose first document is signed by `initialKey`.
    public init(network: String, initialKey: Ed25519.PublicKey) throws(IdentityError) {
        try CustosDID.validateNetwork(network, in: "did:custos:\(network):")
        let tag = CustosDID.tag(for: initialKey)
        self.network = network
        self.tag = tag
        self.did = try DID("did:custos:\(network):\(tag)")
    }

    /// Validates a DID as a did:custos.
    public init(_ did: DID) throws(IdentityError) {
        guard did.method == "custos" else {
            throw IdentityError.invalidDID(did.description, reason: "is not a did:custos")
        }
        let parts = did.methodSpecificID.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw IdentityError.invalidDID(did.description, reason: "must be did:custos:<network>:<tag>")
        }
        try CustosDID.validateNetwork(String(parts[0]), in: did.description)
        let decoded: [UInt8]
        do {
            decoded = try Base58.decode(parts[1])
        } catch {
            throw IdentityError.invalidDID(did.description, reason: "the tag is not base58btc")
        }
        guard decoded.count == 32 else {
            throw IdentityError.invalidDID(
                did.description, reason: "the tag must encode 32 bytes, not \(decoded.count)")
        }
        self.did = did
        self.network = String(parts[0])
        self.tag = String(parts[1])
    }

    /// Parses and validates a did:custos string.
    public init(_ string: String) throws(IdentityError) {
        try self.init(try DID(string))
    }

    /// base58btc(BLAKE2b-256(key)).
    public static func tag(for key: Ed25519.PublicKey) -> String {
        Base58.encode(BLAKE2b.hash256(key.rawRepresentation))
    }

    /// Whether `key` is the initial key this DID was derived from.
    public func isDerived(from key: Ed25519.PublicKey) -> Bool {
        CustosDID.tag(for: key) == tag
    }

    /// The DID string.
    public var description: String { did.description }

    private static func validateNetwork(_ network: String, in text: String) throws(IdentityError) {
        let valid =
            (1...16).contains(network.utf8.count)
            && network.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
            }
        guard valid else {
            throw IdentityError.invalidDID(text, reason: "the network must be 1 to 16 characters of a-z and 0-9")
        }
    }
}
