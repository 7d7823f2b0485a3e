import CustosCore
import Foundation

/// The `custos` member of a did:custos document version: its place in the version chain.
///
/// ```json
/// "custos": {"versionId": 2, "created": "2025-01-01T00:00:00Z", "updated": "2025-03-01T00:00:00Z",
///            "previousVersionHash": "z…", "deactivated": false}
/// ```
public struct DocumentVersionMetadata: Sendable, Hashable {
    /// The member name in the version JSON.
    public static let member = "custos"

    /// 1 for the first version, then +1 per update.
    public let versionId: Int
    /// When the DID was created (the same in every version).
    public let created: Date
    /// When this version was made; strictly increasing along the chain.
    public let updated: Date
    /// `z` + base58btc(BLAKE2b-256(JCS(previous signed version))); `nil` for version 1.
    public let previousVersionHash: String?
    /// Whether this version deactivates the DID (no later version may follow).
    public let deactivated: Bool

    /// Metadata for a version.
    public init(versionId: Int, created: Date, updated: Date, previousVersionHash: String?, deactivated: Bool = false) {
        self.versionId = versionId
        self.created = created
        self.updated = updated
        self.previousVersionHash = previousVersionHash
        self.deactivated = deactivated
    }

    /// Reads the `custos` member of a version.
    public init(version: JSONValue) throws(IdentityError) {
        guard let value = version[DocumentVersionMetadata.member] else {
            throw IdentityError.malformed(
                field: DocumentVersionMetadata.member, reason: "is missing: not a did:custos document version")
        }
        let fields = try JSONFields(value, path: DocumentVersionMetadata.member)
        guard let versionId = fields["versionId"]?.intValue, versionId >= 1 else {
            throw IdentityError.malformed(field: fields.field("versionId"), reason: "must be an integer of at least 1")
        }
        self.versionId = versionId
        self.created = try fields.date("created")
        self.updated = try fields.date("updated")
        self.previousVersionHash = try fields.optionalString("previousVersionHash")
        if let flag = fields["deactivated"] {
            guard let deactivated = flag.boolValue else {
                throw IdentityError.malformed(field: fields.field("deactivated"), reason: "must be true or false")
            }
            self.deactivated = deactivated
        } else {
            self.deactivated = false
        }
    }

    /// The JSON of the `custos` member.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "versionId": .number(Double(versionId)),
            "created": .string(JSONFields.timestamp(created)),
            "updated": .string(JSONFields.timestamp(updated)),
        ]
        if let previousVersionHash {
            members["previousVersionHash"] = .string(previousVersionHash)
        }
        if deactivated {
            members["deactivated"] = true
        }
        return .object(members)
    }
}
