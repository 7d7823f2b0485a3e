import CustosCore

/// An Integration Services identity claim (`claim` of an identity, `subject.claim` of a credential
/// request), validated as the IS SSI bridge did with Ajv and its TypeBox schemas.
///
/// `type` is required: one of the ``ClaimType`` names or any other string of at least 3 characters. A
/// claim of a known type (other than `Unknown`) must also fit that type's schema: the schema.org Thing
/// fields and the type's own fields have the JSON types IS gave them, Device requires `category` and
/// `controlledProperty`. Members the schemas do not name are allowed and never checked, and a claim of
/// another type is accepted with any members. Unlike IS, a Device's `category` must not be empty.
///
/// IS applied the type schemas only when adding an identity (`POST /identities/create` and
/// `POST /identities/identity`); a credential request (`POST /verification/create-credential`) had its
/// `type` checked alone, which `checksTypeSchema: false` reproduces, and `PUT /identities/identity` had
/// its claim not checked at all.
public struct IdentityClaim: Sendable, Hashable {
    /// The claim object, unchanged.
    public let json: JSONValue
    /// The claim's `type`.
    public let type: String

    /// The type as a known ``ClaimType``; `nil` for a custom type.
    public var knownType: ClaimType? { ClaimType(rawValue: type) }

    /// The `@context` IS adds to the `credentialSubject` of credentials issued for this claim; `nil` for
    /// `Unknown` and custom types.
    public var credentialSubjectContext: JSONValue? { knownType?.credentialSubjectContext }

    /// Validates `json`; `field` names the claim in errors (`claim`, or `subject.claim` for a credential
    /// request), and a bad member is reported as e.g. `claim.category`. With `checksTypeSchema` false only
    /// the object and its `type` are checked.
    ///
    /// - Throws: ``IdentityError/invalidClaim(field:reason:)`` naming the first offending field.
    public init(validating json: JSONValue, field: String = "claim", checksTypeSchema: Bool = true)
        throws(IdentityError)
    {
        guard case .object(let members) = json else {
            throw IdentityError.invalidClaim(field: field, reason: "must be a JSON object with a type")
        }
        let typeField = field + ".type"
        guard let typeValue = members["type"] else {
            throw IdentityError.invalidClaim(field: typeField, reason: "is required: " + Self.typeRule)
        }
        // Ajv's minLength counts code points, not grapheme clusters.
        guard let type = typeValue.stringValue, type.unicodeScalars.count >= 3 else {
            throw IdentityError.invalidClaim(field: typeField, reason: "must be " + Self.typeRule)
        }
        if checksTypeSchema, let schema = ClaimType(rawValue: type)?.schema {
            try schema.validate(members, at: field)
        }
        self.json = json
        self.type = type
    }

    /// The claim as IS placed it into a `credentialSubject` (before adding `id`, `type` and `initiator`):
    /// the type's ``credentialSubjectContext`` as `@context`, unless the claim has an `@context` of its own.
    public func withDefaultContext() -> JSONValue {
        guard let context = credentialSubjectContext, case .object(var members) = json, members["@context"] == nil
        else { return json }
        members["@context"] = context
        return .object(members)
    }

    /// What `type` must be, as said in errors.
    private static let typeRule =
        ClaimType.allCases.map(\.rawValue).joined(separator: ", ") + " or another string of at least 3 characters"
}
