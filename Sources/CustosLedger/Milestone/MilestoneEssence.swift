import CustosCore
import CustosCrypto

/// The signed part of a milestone: what the coordinator commits to.
///
/// Serialized (little-endian) as `index u32 | timestamp u64 | previousMilestoneId [32] | parentsCount u8 |
/// parents [32]×n | logSize u64 | logRoot [32] | hasNextKey u8 (0 or 1) | nextCoordinatorKey [32] if 1`.
public struct MilestoneEssence: Sendable, Hashable {
    /// The domain-separation prefix of the signing input, so a milestone signature can never be mistaken
    /// for a signature over any other structure made with the same key (e.g. a checkpoint note).
    public static let signingPrefix: [UInt8] = Array("custos/milestone/v1".utf8) + [0]

    /// The milestone number; the first milestone of a network has index 1.
    public let index: UInt32
    /// When the coordinator issued it, in Unix milliseconds.
    public let timestamp: UInt64
    /// The message id of the previous milestone's message; 32 zero bytes for index 1.
    public let previousMilestoneID: Digest32
    /// The confirmed tips: sorted, unique, 1...8, and equal to the carrying message's parents.
    public let parents: [Digest32]
    /// The Merkle log size after appending everything this milestone confirms.
    public let logSize: UInt64
    /// The Merkle log root at `logSize`.
    public let logRoot: Digest32
    /// The coordinator key that signs the next milestone, when the key is being rotated.
    public let nextCoordinatorKey: Ed25519.PublicKey?

    /// Creates an essence; parents are sorted and must be unique, 1...8 of them.
    public init(
        index: UInt32, timestamp: UInt64, previousMilestoneID: Digest32, parents: [Digest32], logSize: UInt64,
        logRoot: Digest32, nextCoordinatorKey: Ed25519.PublicKey? = nil
    ) throws(LedgerError) {
        let sorted = parents.sorted()
        guard (1...LedgerMessage.maximumParents).contains(sorted.count) else {
            throw LedgerError("a milestone needs 1 to \(LedgerMessage.maximumParents) parents, got \(sorted.count)")
        }
        guard zip(sorted, sorted.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw LedgerError("milestone parents must be unique")
        }
        self.index = index
        self.timestamp = timestamp
        self.previousMilestoneID = previousMilestoneID
        self.parents = sorted
        self.logSize = logSize
        self.logRoot = logRoot
        self.nextCoordinatorKey = nextCoordinatorKey
    }

    /// The serialized size.
    var byteCount: Int {
        4 + 8 + 32 + 1 + 32 * parents.count + 8 + 32 + 1 + (nextCoordinatorKey == nil ? 0 : 32)
    }

    /// The bytes the coordinator signs: `signingPrefix ‖ networkId u64 ‖ type u32 = 7 ‖ essence`.
    ///
    /// Binding the network id keeps a milestone of one tenant's ledger from being replayed into another's.
    public func signingInput(networkID: UInt64) -> [UInt8] {
        var bytes = Self.signingPrefix
        bytes.reserveCapacity(bytes.count + 12 + byteCount)
        bytes.appendLittleEndian(networkID)
        bytes.appendLittleEndian(Milestone.typeCode)
        serialize(into: &bytes)
        return bytes
    }

    /// Signs the essence for a network.
    public func signed(networkID: UInt64, by key: Ed25519.PrivateKey) -> Milestone {
        try! Milestone(essence: self, signature: key.signature(for: signingInput(networkID: networkID)))  // 64 bytes
    }

    /// The checkpoint body this milestone publishes for a log origin.
    public func checkpoint(origin: String) throws(NoteError) -> Checkpoint {
        try Checkpoint(origin: origin, size: logSize, root: logRoot)
    }

    func serialize(into bytes: inout [UInt8]) {
        bytes.appendLittleEndian(index)
        bytes.appendLittleEndian(timestamp)
        bytes.append(contentsOf: previousMilestoneID.bytes)
        bytes.append(UInt8(parents.count))
        for parent in parents { bytes.append(contentsOf: parent.bytes) }
        bytes.appendLittleEndian(logSize)
        bytes.append(contentsOf: logRoot.bytes)
        if let nextCoordinatorKey {
            bytes.append(1)
            bytes.append(contentsOf: nextCoordinatorKey.rawRepresentation)
        } else {
            bytes.append(0)
        }
    }

    static func deserialize(from reader: inout ByteReader) throws(LedgerError) -> MilestoneEssence {
        let index = try reader.readInteger(UInt32.self, "milestone index")
        let timestamp = try reader.readInteger(UInt64.self, "milestone timestamp")
        let previous = try reader.readDigest("previous milestone id")
        let parentCount = Int(try reader.readInteger(UInt8.self, "milestone parents count"))
        var parents: [Digest32] = []
        for position in 0..<parentCount { parents.append(try reader.readDigest("milestone parent \(position)")) }
        guard zip(parents, parents.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw LedgerError("milestone parents must be sorted and unique")
        }
        let logSize = try reader.readInteger(UInt64.self, "milestone log size")
        let logRoot = try reader.readDigest("milestone log root")
        let flag = try reader.readInteger(UInt8.self, "next coordinator key flag")
        var nextKey: Ed25519.PublicKey?
        switch flag {
        case 0: nextKey = nil
        case 1:
            let raw = try reader.read(Ed25519.PublicKey.byteCount, "next coordinator key")
            nextKey = try! Ed25519.PublicKey(rawRepresentation: raw)  // exactly 32 bytes were read
        default: throw LedgerError("next coordinator key flag must be 0 or 1, got \(flag)")
        }
        return try MilestoneEssence(
            index: index, timestamp: timestamp, previousMilestoneID: previous, parents: parents, logSize: logSize,
            logRoot: logRoot, nextCoordinatorKey: nextKey)
    }
}
