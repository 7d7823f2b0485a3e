import CustosCore
import CustosCrypto

/// A message of a tenant's private Tangle (DESIGN §4), in its canonical binary form:
/// `version u8 | networkId u64 | parentsCount u8 | parents [32]×n | payloadLength u32 | payload | nonce u64`,
/// little-endian, at most 32 KiB; the id is BLAKE2b-256 of all bytes.
public struct LedgerMessage: Sendable, Hashable {
    /// The only version defined so far.
    public static let currentVersion: UInt8 = 1
    /// The size cap of a serialized message.
    public static let maximumByteCount = 32 * 1024
    /// The most parents a message may reference.
    public static let maximumParents = 8
    /// Bytes of a message without parents and payload.
    static let fixedOverhead = 1 + 8 + 1 + 4 + 8

    /// The network the message belongs to (see `networkID(forName:)`).
    public let networkID: UInt64
    /// Sorted, unique parent ids (1...8).
    public let parents: [Digest32]
    /// The payload.
    public let payload: Payload
    /// Always 0: there is no proof of work on a private ledger.
    public let nonce: UInt64

    /// Creates a message; parents are sorted and must be unique, 1...8 of them (a milestone's own parents), and
    /// the result fit 32 KiB.
    public init(networkID: UInt64, parents: [Digest32], payload: Payload) throws(LedgerError) {
        let sorted = parents.sorted()
        guard (1...Self.maximumParents).contains(sorted.count) else {
            throw LedgerError("a message needs 1 to \(Self.maximumParents) parents, got \(sorted.count)")
        }
        guard zip(sorted, sorted.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw LedgerError("parents must be unique")
        }
        // A milestone confirms exactly the tips its message references (TIP-8), so the two lists cannot drift.
        if let milestone = payload.milestone, milestone.essence.parents != sorted {
            throw LedgerError("milestone parents must equal the message's parents")
        }
        self.networkID = networkID
        self.parents = sorted
        self.payload = payload
        self.nonce = 0
        let size = Self.fixedOverhead + 32 * sorted.count + payload.byteCount
        guard size <= Self.maximumByteCount else {
            throw LedgerError(
                "message would be \(size) bytes; at most \(Self.maximumByteCount) are allowed", kind: .payloadTooLarge)
        }
    }

    /// Parses and validates the canonical bytes.
    public init(bytes: [UInt8]) throws(LedgerError) {
        guard bytes.count <= Self.maximumByteCount else {
            throw LedgerError("message is \(bytes.count) bytes; at most \(Self.maximumByteCount) are allowed")
        }
        var reader = ByteReader(bytes)
        let version = try reader.readInteger(UInt8.self, "version")
        guard version == Self.currentVersion else { throw LedgerError("unsupported message version \(version)") }
        let networkID = try reader.readInteger(UInt64.self, "network id")
        let parentCount = Int(try reader.readInteger(UInt8.self, "parents count"))
        var parents: [Digest32] = []
        for index in 0..<parentCount {
            let raw = Array(try reader.read(32, "parent \(index)"))
            parents.append(try! Digest32(bytes: raw))  // exactly 32 bytes were read
        }
        guard zip(parents, parents.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw LedgerError("parents must be sorted and unique")
        }
        let payloadLength = Int(try reader.readInteger(UInt32.self, "payload length"))
        var payloadReader = ByteReader(Array(try reader.read(payloadLength, "payload")))
        let payload = try Payload.deserialize(from: &payloadReader)
        guard payloadReader.remaining == 0 else {
            throw LedgerError("payload has \(payloadReader.remaining) extra bytes")
        }
        let nonce = try reader.readInteger(UInt64.self, "nonce")
        guard nonce == 0 else { throw LedgerError("nonce must be 0") }
        guard reader.remaining == 0 else { throw LedgerError("message has \(reader.remaining) trailing bytes") }
        try self.init(networkID: networkID, parents: parents, payload: payload)
    }

    /// The canonical bytes.
    public func serialized() -> [UInt8] {
        var payloadBytes: [UInt8] = []
        payload.serialize(into: &payloadBytes)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.fixedOverhead + 32 * parents.count + payloadBytes.count)
        bytes.append(Self.currentVersion)
        bytes.appendLittleEndian(networkID)
        bytes.append(UInt8(parents.count))
        for parent in parents { bytes.append(contentsOf: parent.bytes) }
        bytes.appendLittleEndian(UInt32(payloadBytes.count))
        bytes.append(contentsOf: payloadBytes)
        bytes.appendLittleEndian(nonce)
        return bytes
    }

    /// The message id: BLAKE2b-256 of the canonical bytes.
    public var id: Digest32 { Self.id(of: serialized()) }

    /// The id of already serialized bytes.
    public static func id(of bytes: [UInt8]) -> Digest32 {
        try! Digest32(bytes: BLAKE2b.hash256(bytes))  // BLAKE2b-256 is always 32 bytes
    }

    /// The network id of a ledger name: the first 8 bytes of BLAKE2b-256(name), little-endian.
    public static func networkID(forName name: String) -> UInt64 {
        let digest = BLAKE2b.hash256(Array(name.utf8))
        return digest.prefix(8).enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
    }

    /// The parent of a network's first message: BLAKE2b-256 of `custos-genesis:` + the network id.
    public static func genesisParent(networkID: UInt64) -> Digest32 {
        var seed = Array("custos-genesis:".utf8)
        seed.appendLittleEndian(networkID)
        return id(of: seed)
    }
}
