import CustosCore

/// A W3C DID Core document over `JSONValue`: typed access to methods, relationships and services,
/// with every other property kept in ``json`` untouched.
public struct DIDDocument: Sendable, Hashable {
    /// The DID Core v1 context.
    public static let didContext = "https://www.w3.org/ns/did/v1"
    /// The Multikey context, needed when methods are of type `Multikey`.
    public static let multikeyContext = "https://w3id.org/security/multikey/v1"

    /// The full document as JSON.
    public let json: JSONValue
    /// The DID the document describes.
    public let id: DID
    /// The `controller` values (empty when absent, meaning the DID controls itself).
    public let controllers: [String]
    /// Every verification method: `verificationMethod` entries and methods embedded in relationships.
    public let verificationMethods: [VerificationMethod]
    /// The method ids listed (by reference or embedded) under each relationship.
    public let relationships: [VerificationRelationship: [DIDURL]]
    /// The services.
    public let services: [DIDService]

    /// Parses a document; `path` prefixes field names in errors.
    public init(json: JSONValue, path: String = "") throws(IdentityError) {
        let fields = try JSONFields(json, path: path)
        let id = try DID(try fields.string("id"))
        var methods: [VerificationMethod] = []
        for (index, entry) in fields.list("verificationMethod").enumerated() {
            methods.append(
                try VerificationMethod(json: entry, base: id, path: fields.field("verificationMethod[\(index)]")))
        }
        var relationships: [VerificationRelationship: [DIDURL]] = [:]
        for relationship in VerificationRelationship.allCases {
            var ids: [DIDURL] = []
            for (index, entry) in fields.list(relationship.rawValue).enumerated() {
                let entryPath = fields.field("\(relationship.rawValue)[\(index)]")
                if let reference = entry.stringValue {
                    ids.append(try DIDURL(reference, relativeTo: id))
                } else {
                    let method = try VerificationMethod(json: entry, base: id, path: entryPath)
                    methods.append(method)
                    ids.append(method.id)
                }
            }
            if !ids.isEmpty {
                relationships[relationship] = ids
            }
        }
        var services: [DIDService] = []
        for (index, entry) in fields.list("service").enumerated() {
            services.append(try DIDService(json: entry, base: id, path: fields.field("service[\(index)]")))
        }
        self.json = json
        self.id = id
        self.controllers = try fields.optionalStrings("controller")
        self.verificationMethods = methods
        self.relationships = relationships
        self.services = services
    }

    /// Builds a document from methods, each listed under the given relationships, and services.
    ///
    /// Methods are written once under `verificationMethod` and referenced by id from relationships.
    public init(
        id: DID,
        methods: [(method: VerificationMethod, relationships: [VerificationRelationship])],
        services: [DIDService] = [],
        additionalProperties: [String: JSONValue] = [:]
    ) {
        var members = additionalProperties
        members["@context"] = [.string(DIDDocument.didContext), .string(DIDDocument.multikeyContext)]
        members["id"] = .string(id.description)
        if !methods.isEmpty {
            members["verificationMethod"] = .array(methods.map(\.method.json))
        }
        for relationship in VerificationRelationship.allCases {
            let ids = methods.filter { $0.relationships.contains(relationship) }.map {
                JSONValue.string($0.method.id.description)
            }
            if !ids.isEmpty {
                members[relationship.rawValue] = .array(ids)
            }
        }
        if !services.isEmpty {
            members["service"] = .array(services.map(\.json))
        }
        // The members were built from valid parts, so parsing them back cannot fail.
        self = try! DIDDocument(json: .object(members))
    }

    /// The method with id `url` (absolute, or relative to this document's DID).
    public func method(_ url: String) -> VerificationMethod? {
        guard let parsed = try? DIDURL(url, relativeTo: id) else { return nil }
        return method(parsed)
    }

    /// The method with id `url`.
    public func method(_ url: DIDURL) -> VerificationMethod? {
        verificationMethods.first { $0.id == url }
    }

    /// Whether the method `url` is listed under `relationship`.
    public func isAuthorized(_ url: DIDURL, for relationship: VerificationRelationship) -> Bool {
        relationships[relationship]?.contains(url) ?? false
    }

    /// The methods listed under `relationship`, in document order.
    public func methods(for relationship: VerificationRelationship) -> [VerificationMethod] {
        (relationships[relationship] ?? []).compactMap { method($0) }
    }

    /// The service with id `url` (absolute, or relative to this document's DID).
    public func service(_ url: String) -> DIDService? {
        guard let parsed = try? DIDURL(url, relativeTo: id) else { return nil }
        return services.first { $0.id == parsed }
    }
}
