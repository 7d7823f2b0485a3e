import CustosCore

/// The claim types Integration Services knows (its `UserType`); a claim may also carry any other `type`
/// of at least 3 characters, which is stored but not validated further.
public enum ClaimType: String, Sendable, Hashable, CaseIterable {
    /// A schema.org Organization.
    case organization = "Organization"
    /// A schema.org Service.
    case service = "Service"
    /// A schema.org Person.
    case person = "Person"
    /// A FIWARE smart-data-models Device.
    case device = "Device"
    /// A schema.org Product.
    case product = "Product"
    /// Named by IS but without a schema: validated no further than any custom type.
    case unknown = "Unknown"

    /// The `@context` IS puts first into the `credentialSubject` of a credential it issues for a claim of
    /// this type (`utils/jsonld`), or `nil` when it adds none.
    ///
    /// A claim's own `@context` takes precedence over it, as in IS (see ``IdentityClaim/withDefaultContext()``).
    public var credentialSubjectContext: JSONValue? {
        switch self {
        case .person, .organization, .product, .service:
            return "https://schema.org/"
        case .device:
            // An array, unlike the schema.org types: IS wrote it so, and the signed subject must match.
            return ["https://smartdatamodels.org/context.jsonld"]
        case .unknown:
            return nil
        }
    }

    /// The schema a claim of this type must satisfy; `nil` for ``unknown``.
    var schema: ClaimSchema? {
        switch self {
        case .organization: return .organization
        case .service: return .service
        case .person: return .person
        case .device: return .device
        case .product: return .product
        case .unknown: return nil
        }
    }
}
