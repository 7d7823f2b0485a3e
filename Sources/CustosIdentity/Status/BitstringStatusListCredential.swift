import CustosCore
import Foundation

/// Builds `BitstringStatusListCredential`s: a credential whose subject carries the encoded list.
public enum BitstringStatusListCredential {
    /// The credential type.
    public static let type = "BitstringStatusListCredential"
    /// The credentialSubject type.
    public static let subjectType = "BitstringStatusList"

    /// The draft of the status list credential published at `id`; issue it with
    /// ``VerifiableCredential/issue(_:signer:created:proofExpires:)``.
    ///
    /// `ttl` (milliseconds) tells verifiers how long they may cache it.
    public static func draft(
        id: String,
        issuer: DID,
        purpose: StatusPurpose,
        list: BitstringStatusList,
        validFrom: Date? = nil,
        validUntil: Date? = nil,
        ttl: Int? = nil
    ) throws(IdentityError) -> CredentialDraft {
        var subject: [String: JSONValue] = [
            "id": .string(id + "#list"),
            "type": .string(subjectType),
            "statusPurpose": .string(purpose.rawValue),
            "encodedList": .string(try list.encoded()),
        ]
        if let ttl {
            subject["ttl"] = .number(Double(ttl))
        }
        return CredentialDraft(
            issuer: issuer, subject: .object(subject), types: [type], id: id, validFrom: validFrom,
            validUntil: validUntil)
    }
}
