import CustosCore
import CustosCrypto

/// RFC 6962/9162 hashing with SHA-256: leaves are prefixed 0x00 and interior nodes 0x01.
///
/// The prefixes keep a leaf from ever being reinterpreted as a node (second-preimage defence).
public enum MerkleHash {
    /// The root of the empty tree, SHA-256 of no bytes.
    public static let emptyRoot = digest(SHA256.hash([UInt8]()))

    /// The leaf hash of an entry: SHA-256(0x00 ‖ entry); our entries are 32-byte message ids.
    public static func leafHash(_ entry: some Collection<UInt8>) -> Digest32 {
        var hasher = SHA256.Hasher()
        hasher.update(CollectionOfOne(UInt8(0)))
        hasher.update(entry)
        return digest(hasher.finalize())
    }

    /// The leaf hash of a message id.
    public static func leafHash(messageID: Digest32) -> Digest32 {
        leafHash(messageID.bytes)
    }

    /// An interior node: SHA-256(0x01 ‖ left ‖ right).
    public static func nodeHash(_ left: Digest32, _ right: Digest32) -> Digest32 {
        var hasher = NodeHasher()
        return hasher.hash(left, right)
    }

    /// Wraps a SHA-256 output, which is always 32 bytes.
    static func digest(_ bytes: [UInt8]) -> Digest32 {
        try! Digest32(bytes: bytes)
    }
}
