import CustosCore

/// A DID Core service entry (`id`, `type`, `serviceEndpoint`), e.g. a RevocationBitmap2022 bitmap.
public struct DIDService: Sendable, Hashable {
    /// The absolute DID URL of the service.
    public let id: DIDURL
    /// The service types (one or more).
    public let types: [String]
    /// The endpoint: a URL string, an object or an array, kept as found.
    public let endpoint: JSONValue
    /// The service's JSON as found.
    public let json: JSONValue

    /// A service with one type and a URL endpoint.
    public init(id: DIDURL, type: String, endpoint: String) {
        self.id = id
        self.types = [type]
        self.endpoint = .string(endpoint)
        self.json = ["id": .string(id.description), "type": .string(type), "serviceEndpoint": .string(endpoint)]
    }

    /// Parses a service object; relative ids resolve against `base`.
    public init(json: JSONValue, base: DID?, path: String) throws(IdentityError) {
        let fields = try JSONFields(json, path: path)
        self.id = try DIDURL(try fields.string("id"), relativeTo: base)
        self.types = try fields.strings("type")
        guard let endpoint = fields["serviceEndpoint"] else {
            throw IdentityError.malformed(field: fields.field("serviceEndpoint"), reason: "is missing")
        }
        self.endpoint = endpoint
        self.json = json
    }
}
