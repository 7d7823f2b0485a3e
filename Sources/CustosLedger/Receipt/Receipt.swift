import CustosCore

/// A self-contained proof that a message is in a tenant's ledger: the message bytes, its leaf index, an
/// inclusion proof, and the signed checkpoint the proof leads to. Exchanged as one JSON object, written in
/// RFC 8785 canonical form:
///
/// `{"checkpoint", "coordinatorKey", "inclusionProof", "leafIndex", "message", "messageId", "network": {"id",
/// "name"}, "tenant", "version"}`. Unknown members are ignored when parsing.
public struct Receipt: Sendable, Hashable {
    /// The format version this code writes and reads.
    public static let currentVersion = 1
    /// The largest integer a JSON number carries exactly (2^53 − 1), which bounds `leafIndex`.
    public static let maximumLeafIndex: UInt64 = (1 << 53) - 1

    /// The tenant whose ledger holds the message.
    public let tenant: String
    /// The ledger network name.
    public let networkName: String
    /// The ledger network id, `LedgerMessage.networkID(forName: networkName)`.
    public let networkID: UInt64
    /// The canonical message bytes.
    public let message: [UInt8]
    /// The claimed message id (BLAKE2b-256 of `message`).
    public let messageID: Digest32
    /// The message's position in the Merkle log.
    public let leafIndex: UInt64
    /// The RFC 9162 inclusion proof for `leafIndex` in the checkpoint's tree.
    public let inclusionProof: [Digest32]
    /// The signed checkpoint note, verbatim.
    public let checkpoint: String
    /// The coordinator's note verifier key string, as asserted by the log.
    public let coordinatorKey: String

    /// Wraps receipt fields without checking them; `ReceiptVerifier` does that.
    public init(
        tenant: String, networkName: String, networkID: UInt64, message: [UInt8], messageID: Digest32,
        leafIndex: UInt64, inclusionProof: [Digest32], checkpoint: String, coordinatorKey: String
    ) {
        self.tenant = tenant
        self.networkName = networkName
        self.networkID = networkID
        self.message = message
        self.messageID = messageID
        self.leafIndex = leafIndex
        self.inclusionProof = inclusionProof
        self.checkpoint = checkpoint
        self.coordinatorKey = coordinatorKey
    }

    /// Assembles a receipt from typed values, as the ledger worker issues it.
    public init(
        tenant: String, networkName: String, message: LedgerMessage, leafIndex: UInt64, inclusionProof: [Digest32],
        checkpoint: SignedNote, coordinatorKey: NoteVerifierKey
    ) {
        let bytes = message.serialized()
        self.init(
            tenant: tenant, networkName: networkName, networkID: message.networkID, message: bytes,
            messageID: LedgerMessage.id(of: bytes), leafIndex: leafIndex, inclusionProof: inclusionProof,
            checkpoint: checkpoint.serialized, coordinatorKey: coordinatorKey.text)
    }

    /// Parses a receipt from JSON text.
    public init(jsonText: String) throws(ReceiptError) {
        let value: JSONValue
        do { value = try JSONParser.parse(jsonText) } catch {
            throw .malformed(field: "(document)", reason: error.description)
        }
        try self.init(json: value)
    }

    /// Reads a receipt from a parsed JSON value.
    public init(json: JSONValue) throws(ReceiptError) {
        guard case .object = json else { throw .malformed(field: "(document)", reason: "expected a JSON object") }
        guard let version = json["version"]?.intValue else {
            throw .malformed(field: "version", reason: "expected an integer")
        }
        guard version == Self.currentVersion else { throw .unsupportedVersion(version) }
        let network = json["network"]
        guard let idText = network?["id"]?.stringValue, let networkID = Self.decimal(idText) else {
            throw .malformed(field: "network.id", reason: "expected a decimal string of a 64-bit network id")
        }
        guard let index = json["leafIndex"]?.doubleValue, index >= 0, index.rounded() == index,
            index <= Double(Self.maximumLeafIndex)
        else { throw .malformed(field: "leafIndex", reason: "expected an integer from 0 to 2^53-1") }
        guard let proofItems = json["inclusionProof"]?.arrayValue else {
            throw .malformed(field: "inclusionProof", reason: "expected an array of base64 hashes")
        }
        var proof: [Digest32] = []
        for (position, item) in proofItems.enumerated() {
            guard let text = item.stringValue, let bytes = try? Base64.decode(text),
                let hash = try? Digest32(bytes: bytes)
            else { throw .malformed(field: "inclusionProof[\(position)]", reason: "expected base64 of 32 bytes") }
            proof.append(hash)
        }
        guard let messageText = json["message"]?.stringValue, let message = try? Base64.decode(messageText) else {
            throw .malformed(field: "message", reason: "expected base64 message bytes")
        }
        guard let idHex = json["messageId"]?.stringValue, let messageID = try? Digest32(hex: idHex) else {
            throw .malformed(field: "messageId", reason: "expected 64 hex characters")
        }
        self.init(
            tenant: try Self.string(json, "tenant"), networkName: try Self.string(network ?? .null, "name", "network."),
            networkID: networkID, message: message, messageID: messageID, leafIndex: UInt64(index),
            inclusionProof: proof, checkpoint: try Self.string(json, "checkpoint"),
            coordinatorKey: try Self.string(json, "coordinatorKey"))
    }

    /// The receipt as a JSON value.
    public var json: JSONValue {
        .object([
            "version": .number(Double(Self.currentVersion)),
            "tenant": .string(tenant),
            "network": .object(["name": .string(networkName), "id": .string(String(networkID))]),
            "message": .string(Base64.encode(message)),
            "messageId": .string(messageID.hex),
            "leafIndex": .number(Double(leafIndex)),
            "inclusionProof": .array(inclusionProof.map { .string(Base64.encode($0.bytes)) }),
            "checkpoint": .string(checkpoint),
            "coordinatorKey": .string(coordinatorKey),
        ])
    }

    /// The RFC 8785 canonical JSON text.
    public var canonicalJSON: String {
        try! JCS.canonicalString(json)  // only strings and integers below 2^53, which JCS always accepts
    }

    private static func string(_ object: JSONValue, _ key: String, _ prefix: String = "") throws(ReceiptError)
        -> String
    {
        guard let value = object[key]?.stringValue else {
            throw .malformed(field: prefix + key, reason: "expected a string")
        }
        return value
    }

    private static func decimal(_ text: String) -> UInt64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), text == "0" || !text.hasPrefix("0")
        else { return nil }
        return UInt64(text)
    }
}
