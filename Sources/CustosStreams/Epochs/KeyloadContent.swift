import CustosCore
import CustosCrypto

/// The public payload of a keyload (docs/channels.md §5):
///
/// `epochPublicKey [32] | keyCommitment [32] | readerCount u16 | readerSlot [116] × n |
/// pskCount u16 | (pskId [16] | wrap [72]) × n | grantCount u16 | (signingKey [32] | rights u8) × n`.
///
/// Each list is sorted bytewise and free of duplicates, so the content has one encoding. On a public channel the
/// epoch public key and the commitment are zero and there are no reader slots and no wraps.
public struct KeyloadContent: Sendable, Hashable {
    /// Size of a reader slot: a sealed box of `epochSecret [32] | channelId [32] | epoch u32`.
    public static let readerSlotByteCount = EpochSecret.readerSlotPlaintextByteCount + SealedBox.overhead
    /// The most entries of each list; far more than fit an envelope, it only bounds the count field.
    public static let maximumListCount = Int(UInt16.max)

    /// A wrap of the epoch secret for one pre-shared key: `pskId [16] | nonce [24] | ciphertext [32] | tag [16]`.
    public struct PSKSlot: Sendable, Hashable {
        /// Encoded size.
        public static let byteCount = PresharedKey.idByteCount + wrapByteCount
        /// Size of the XChaCha20-Poly1305 output for a 32-byte secret.
        public static let wrapByteCount =
            XChaCha20Poly1305.nonceByteCount + EpochSecret.byteCount + XChaCha20Poly1305.tagByteCount

        /// The key's id in this channel (`PresharedKey.id(in:)`).
        public let pskID: [UInt8]
        /// `nonce ‖ ciphertext ‖ tag`.
        public let wrap: [UInt8]

        /// Pairs an id with a wrap; both must have their fixed sizes.
        public init(pskID: [UInt8], wrap: [UInt8]) throws(StreamsError) {
            guard pskID.count == PresharedKey.idByteCount, wrap.count == Self.wrapByteCount else {
                throw .invalidRequest(
                    "a PSK slot needs a \(PresharedKey.idByteCount)-byte id and a \(Self.wrapByteCount)-byte wrap")
            }
            self.pskID = pskID
            self.wrap = wrap
        }
    }

    /// The epoch public key (EPK) writers seal to; nil on a public channel.
    public let epochPublicKey: X25519.PublicKey?
    /// `EpochSecret.commitment`: readers check the secret they unsealed against it. Zero on a public channel.
    public let keyCommitment: [UInt8]
    /// Sealed boxes of the epoch secret, one per reader; unlabelled, so readers try each.
    public let readerSlots: [[UInt8]]
    /// Wraps of the epoch secret, one per pre-shared key.
    public let pskSlots: [PSKSlot]
    /// Who may do what in the epoch; the author is never listed, it always reads and writes.
    public let grants: [AccessGrant]

    /// Creates content, sorting each list; refuses duplicates, wrong sizes and keys without an epoch public key.
    public init(
        epochPublicKey: X25519.PublicKey?, keyCommitment: [UInt8], readerSlots: [[UInt8]], pskSlots: [PSKSlot],
        grants: [AccessGrant]
    ) throws(StreamsError) {
        self.epochPublicKey = epochPublicKey
        self.keyCommitment = keyCommitment
        self.readerSlots = readerSlots.sorted { $0.lexicographicallyPrecedes($1) }
        self.pskSlots = pskSlots.sorted { $0.pskID.lexicographicallyPrecedes($1.pskID) }
        self.grants = grants.sorted {
            $0.signingKey.rawRepresentation.lexicographicallyPrecedes($1.signingKey.rawRepresentation)
        }
        try check()
    }

    /// Parses the content strictly: lists must already be sorted and unique.
    public init(bytes: [UInt8]) throws(StreamsError) {
        var reader = ByteReader(bytes)
        let publicKey = try reader.read(32, "epoch public key")
        var epochPublicKey: X25519.PublicKey?
        if !publicKey.isAllZero {
            do throws(CryptoError) {
                epochPublicKey = try X25519.PublicKey(rawRepresentation: publicKey)
            } catch {
                throw .invalidKey(field: "epoch public key")
            }
        }
        let commitment = try reader.read(32, "key commitment")
        var readers: [[UInt8]] = []
        for index in 0..<Int(try reader.readInteger(UInt16.self, "reader count")) {
            readers.append(try reader.read(Self.readerSlotByteCount, "reader slot \(index)"))
        }
        var psks: [PSKSlot] = []
        for index in 0..<Int(try reader.readInteger(UInt16.self, "PSK count")) {
            let id = try reader.read(PresharedKey.idByteCount, "PSK slot \(index) id")
            let wrap = try reader.read(PSKSlot.wrapByteCount, "PSK slot \(index) wrap")
            psks.append(try PSKSlot(pskID: id, wrap: wrap))
        }
        var grants: [AccessGrant] = []
        for index in 0..<Int(try reader.readInteger(UInt16.self, "grant count")) {
            let key = try reader.read(32, "grant \(index) key")
            let code = try reader.readInteger(UInt8.self, "grant \(index) rights")
            guard let rights = AccessRights(rawValue: code) else { throw .unknownAccessRights(code) }
            grants.append(AccessGrant(signingKey: try! Ed25519.PublicKey(rawRepresentation: key), rights: rights))
        }
        try reader.finish("keyload content")
        self.epochPublicKey = epochPublicKey
        self.keyCommitment = commitment
        self.readerSlots = readers
        self.pskSlots = psks
        self.grants = grants
        try check()
    }

    /// The canonical bytes.
    public var bytes: [UInt8] {
        var bytes = epochPublicKey?.rawRepresentation ?? [UInt8](repeating: 0, count: 32)
        bytes.append(contentsOf: keyCommitment)
        bytes.appendLittleEndian(UInt16(readerSlots.count))
        for slot in readerSlots { bytes.append(contentsOf: slot) }
        bytes.appendLittleEndian(UInt16(pskSlots.count))
        for slot in pskSlots { bytes.append(contentsOf: slot.pskID + slot.wrap) }
        bytes.appendLittleEndian(UInt16(grants.count))
        for grant in grants {
            bytes.append(contentsOf: grant.signingKey.rawRepresentation)
            bytes.append(grant.rights.rawValue)
        }
        return bytes
    }

    /// The rights the access list grants `key`, if any.
    public func rights(of key: Ed25519.PublicKey) -> AccessRights? {
        grants.first { $0.signingKey == key }?.rights
    }

    private func check() throws(StreamsError) {
        guard keyCommitment.count == 32 else {
            throw .malformed(field: "key commitment", reason: "must be 32 bytes")
        }
        for (count, list) in [
            (readerSlots.count, "reader slots"), (pskSlots.count, "PSK slots"), (grants.count, "grants"),
        ]
        where count > Self.maximumListCount {
            throw .malformed(field: list, reason: "must be at most \(Self.maximumListCount)")
        }
        guard readerSlots.allSatisfy({ $0.count == Self.readerSlotByteCount }) else {
            throw .malformed(field: "reader slot", reason: "must be \(Self.readerSlotByteCount) bytes")
        }
        if epochPublicKey == nil {
            guard keyCommitment.isAllZero, readerSlots.isEmpty, pskSlots.isEmpty else {
                throw .malformed(
                    field: "epoch public key", reason: "is zero, so the commitment must be zero and no slots present")
            }
        }
        try requireAscending(readerSlots, "reader slots")
        try requireAscending(pskSlots.map(\.pskID), "PSK slots")
        try requireAscending(grants.map(\.signingKey.rawRepresentation), "grants")
    }

    private func requireAscending(_ keys: [[UInt8]], _ field: String) throws(StreamsError) {
        guard zip(keys, keys.dropFirst()).allSatisfy({ $0.lexicographicallyPrecedes($1) }) else {
            throw .malformed(field: field, reason: "must be sorted bytewise and unique")
        }
    }
}
