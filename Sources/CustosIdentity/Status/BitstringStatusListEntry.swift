import CustosCore

/// A `credentialStatus` entry of type `BitstringStatusListEntry`, pointing into a status list credential.
public struct BitstringStatusListEntry: Sendable, Hashable {
    /// The entry type.
    public static let type = "BitstringStatusListEntry"

    /// The URL (id) of the status list credential.
    public let statusListCredential: String
    /// The entry's index in the list.
    public let index: Int
    /// What a set status means.
    public let purpose: StatusPurpose
    /// Bits per entry (1 unless `message` lists use more).
    public let size: Int
    /// The entry's own id, conventionally `<list>#<index>`.
    public let id: String?

    /// An entry for `index` of the list at `statusListCredential`.
    public init(statusListCredential: String, index: Int, purpose: StatusPurpose, size: Int = 1) {
        self.statusListCredential = statusListCredential
        self.index = index
        self.purpose = purpose
        self.size = size
        self.id = "\(statusListCredential)#\(index)"
    }

    /// Parses an entry; `path` names it in errors (e.g. `credentialStatus[1]`).
    public init(json: JSONValue, path: String = "credentialStatus") throws(IdentityError) {
        let fields = try JSONFields(json, path: path)
        let type = try fields.string("type")
        guard type == BitstringStatusListEntry.type else {
            throw IdentityError.malformed(
                field: fields.field("type"), reason: "must be \(BitstringStatusListEntry.type)")
        }
        let purposeText = try fields.string("statusPurpose")
        guard let purpose = StatusPurpose(rawValue: purposeText) else {
            throw IdentityError.malformed(
                field: fields.field("statusPurpose"), reason: "must be revocation, suspension, refresh or message")
        }
        // The specification makes the index a decimal string; accept a JSON integer too.
        let indexValue = fields["statusListIndex"]
        guard let index = indexValue?.stringValue.flatMap({ Int($0) }) ?? indexValue?.intValue, index >= 0 else {
            throw IdentityError.malformed(
                field: fields.field("statusListIndex"), reason: "must be a non-negative decimal integer")
        }
        var size = 1
        if let sizeValue = fields["statusSize"] {
            guard let parsed = sizeValue.intValue ?? sizeValue.stringValue.flatMap({ Int($0) }),
                (1...16).contains(parsed)
            else {
                throw IdentityError.malformed(
                    field: fields.field("statusSize"), reason: "must be an integer from 1 to 16")
            }
            size = parsed
        }
        self.statusListCredential = try fields.string("statusListCredential")
        self.index = index
        self.purpose = purpose
        self.size = size
        self.id = try fields.optionalString("id")
    }

    /// The entry as JSON.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "type": .string(BitstringStatusListEntry.type),
            "statusPurpose": .string(purpose.rawValue),
            "statusListIndex": .string(String(index)),
            "statusListCredential": .string(statusListCredential),
        ]
        if let id {
            members["id"] = .string(id)
        }
        if size != 1 {
            members["statusSize"] = .number(Double(size))
        }
        return .object(members)
    }
}
