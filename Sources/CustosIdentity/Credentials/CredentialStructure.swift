import CustosCore
import Foundation

/// The structural reading of a credential: VC 2.0, or VC 1.1 for import.
struct CredentialStructure: Sendable {
    let json: JSONValue
    let isVersion1: Bool
    let id: String?
    let types: [String]
    let issuer: DID
    let subjectIDs: [String]
    let validFrom: Date?
    let validUntil: Date?
    let status: [JSONValue]

    /// Checks the structure; `acceptsVersion1` allows the VC 1.1 context and dates.
    init(_ json: JSONValue, acceptsVersion1: Bool) throws(IdentityError) {
        let fields = try JSONFields(json, path: "")
        let context = fields["@context"]
        guard let firstContext = (context?.arrayValue?.first ?? context)?.stringValue else {
            throw IdentityError.malformed(
                field: "@context", reason: "must start with '\(VerifiableCredential.contextV2)'")
        }
        if firstContext == VerifiableCredential.contextV1 && acceptsVersion1 {
            isVersion1 = true
        } else if firstContext == VerifiableCredential.contextV2 {
            isVersion1 = false
        } else {
            throw IdentityError.malformed(
                field: "@context", reason: "must start with '\(VerifiableCredential.contextV2)'")
        }
        types = try fields.strings("type")
        guard types.contains(VerifiableCredential.type) else {
            throw IdentityError.malformed(field: "type", reason: "must include '\(VerifiableCredential.type)'")
        }
        id = try fields.optionalString("id")
        issuer = try CredentialStructure.issuer(fields)
        let subjects = fields.list("credentialSubject")
        guard !subjects.isEmpty else {
            throw IdentityError.malformed(field: "credentialSubject", reason: "is missing")
        }
        var subjectIDs: [String] = []
        for (index, subject) in subjects.enumerated() {
            let path = subjects.count == 1 ? "credentialSubject" : "credentialSubject[\(index)]"
            if let subjectID = try JSONFields(subject, path: path).optionalString("id") {
                subjectIDs.append(subjectID)
            }
        }
        self.subjectIDs = subjectIDs
        validFrom = try fields.optionalDate(isVersion1 ? "issuanceDate" : "validFrom")
        validUntil = try fields.optionalDate(isVersion1 ? "expirationDate" : "validUntil")
        if let validFrom, let validUntil, validUntil < validFrom {
            throw IdentityError.malformed(
                field: isVersion1 ? "expirationDate" : "validUntil", reason: "is before the start of validity")
        }
        status = fields.list("credentialStatus")
        self.json = json
    }

    /// The issuer DID from `issuer` (a string, or an object with `id`).
    static func issuer(_ fields: JSONFields) throws(IdentityError) -> DID {
        guard let value = fields["issuer"] else {
            throw IdentityError.malformed(field: "issuer", reason: "is missing")
        }
        let text: String
        if let string = value.stringValue {
            text = string
        } else {
            text = try JSONFields(value, path: "issuer").string("id")
        }
        do throws(IdentityError) {
            return try DID(text)
        } catch {
            throw IdentityError.malformed(
                field: "issuer", reason: "must be a DID so that the issuer's keys can be resolved, got '\(text)'")
        }
    }
}
