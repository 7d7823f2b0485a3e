import CustosCore
import Foundation

/// The content of a credential to issue (VC Data Model 2.0); ``VerifiableCredential/issue(_:signer:created:)``
/// turns it into a signed credential.
public struct CredentialDraft: Sendable {
    /// The credential id (e.g. `urn:uuid:…`), if any.
    public var id: String?
    /// Types besides `VerifiableCredential`, e.g. `VerifiedIdentityCredential`.
    public var types: [String]
    /// The issuer DID; the signing method must belong to it.
    public var issuer: DID
    /// The `credentialSubject` objects (one or more), usually each with an `id`.
    public var subjects: [JSONValue]
    /// Start of validity; defaults to the proof's creation time when issued.
    public var validFrom: Date?
    /// End of validity, if any.
    public var validUntil: Date?
    /// `credentialStatus` entries, e.g. from ``BitstringStatusListEntry/json``.
    public var status: [JSONValue]
    /// Contexts after `https://www.w3.org/ns/credentials/v2`.
    public var additionalContexts: [JSONValue]
    /// Any other top-level members (`name`, `description`, `credentialSchema`, …).
    public var additionalProperties: [String: JSONValue]

    /// A draft about `subject` issued by `issuer`.
    public init(
        issuer: DID,
        subject: JSONValue,
        types: [String] = [],
        id: String? = nil,
        validFrom: Date? = nil,
        validUntil: Date? = nil,
        status: [JSONValue] = [],
        additionalContexts: [JSONValue] = [],
        additionalProperties: [String: JSONValue] = [:]
    ) {
        self.issuer = issuer
        self.subjects = [subject]
        self.types = types
        self.id = id
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.status = status
        self.additionalContexts = additionalContexts
        self.additionalProperties = additionalProperties
    }

    /// The unsecured credential JSON.
    public func json() -> JSONValue {
        var members = additionalProperties
        members["@context"] = .array([.string(VerifiableCredential.contextV2)] + additionalContexts)
        members["type"] = .array(
            ([VerifiableCredential.type] + types.filter { $0 != VerifiableCredential.type }).map { .string($0) })
        members["issuer"] = .string(issuer.description)
        members["credentialSubject"] = subjects.count == 1 ? subjects[0] : .array(subjects)
        if let id {
            members["id"] = .string(id)
        }
        if let validFrom {
            members["validFrom"] = .string(JSONFields.timestamp(validFrom))
        }
        if let validUntil {
            members["validUntil"] = .string(JSONFields.timestamp(validUntil))
        }
        if !status.isEmpty {
            members["credentialStatus"] = status.count == 1 ? status[0] : .array(status)
        }
        return .object(members)
    }
}
