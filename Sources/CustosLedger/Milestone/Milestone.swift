import CustosCore
import CustosCrypto

/// The milestone payload (type 7): an essence and the tenant coordinator's Ed25519 signature over
/// `MilestoneEssence.signingInput(networkID:)`.
///
/// Serialized as `type u32 = 7 | essence | signature [64]`.
public struct Milestone: Sendable, Hashable {
    /// The payload type code.
    public static let typeCode: UInt32 = 7

    /// The signed fields.
    public let essence: MilestoneEssence
    /// The coordinator's Ed25519 signature.
    public let signature: [UInt8]

    /// Pairs an essence with a signature, which must be 64 bytes; nothing is verified here.
    public init(essence: MilestoneEssence, signature: [UInt8]) throws(LedgerError) {
        guard signature.count == Ed25519.signatureByteCount else {
            throw LedgerError("milestone signature must be 64 bytes, got \(signature.count)")
        }
        self.essence = essence
        self.signature = signature
    }

    /// Checks the signature under the coordinator key valid for this milestone (for a rotated key, the
    /// `nextCoordinatorKey` of the previous milestone).
    public func verifySignature(networkID: UInt64, key: Ed25519.PublicKey) throws(LedgerError) {
        guard key.isValidSignature(signature, for: essence.signingInput(networkID: networkID)) else {
            throw LedgerError(
                "milestone \(essence.index) signature does not verify under coordinator key "
                    + Hex.encode(key.rawRepresentation))
        }
    }

    /// The serialized size, type code included.
    var byteCount: Int { 4 + essence.byteCount + Ed25519.signatureByteCount }

    func serialize(into bytes: inout [UInt8]) {
        bytes.appendLittleEndian(Self.typeCode)
        essence.serialize(into: &bytes)
        bytes.append(contentsOf: signature)
    }

    static func deserialize(from reader: inout ByteReader) throws(LedgerError) -> Milestone {
        let essence = try MilestoneEssence.deserialize(from: &reader)
        let signature = Array(try reader.read(Ed25519.signatureByteCount, "milestone signature"))
        return try Milestone(essence: essence, signature: signature)
    }
}
