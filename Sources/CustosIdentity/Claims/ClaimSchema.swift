import CustosCore

/// The schema of one object in an identity claim: which members must be present and what each named
/// member must hold. Members it does not name are accepted with any value, as IS's TypeBox objects allow
/// additional properties.
struct ClaimSchema: Sendable {
    /// The schema.org or smart-data-models name, used in errors ("an object (PostalAddress)").
    let name: String
    /// The named members in the order they are checked, so that the first error is deterministic.
    let fields: [(name: String, kind: ClaimFieldKind)]
    /// The members that must be present.
    let required: Set<String>

    /// A schema.org Thing extended with `fields`; a field named like a Thing field replaces it, as the
    /// TypeBox spread `{...ThingObject, image: …}` does.
    init(thing name: String, _ fields: [(name: String, kind: ClaimFieldKind)] = [], required: Set<String> = []) {
        let replaced = Set(fields.map(\.name))
        self.name = name
        self.fields = Self.thingFields.filter { !replaced.contains($0.name) } + fields
        self.required = required
    }

    /// Checks the members of an object at `path`: first that the required ones are present, then each
    /// named one in order.
    func validate(_ members: [String: JSONValue], at path: String) throws(IdentityError) {
        for (name, kind) in fields where required.contains(name) && members[name] == nil {
            throw IdentityError.invalidClaim(field: path + "." + name, reason: "is required: " + kind.description)
        }
        for (name, kind) in fields {
            // A present null is checked like any other value: Ajv refuses it for every typed field.
            guard let value = members[name] else { continue }
            try kind.validate(value, at: path + "." + name)
        }
    }

    /// The schema.org Thing members every IS schema starts with (`ThingObject`).
    private static let thingFields: [(name: String, kind: ClaimFieldKind)] = [
        ("@context", .nonEmptyString),
        ("type", .nonEmptyString),
        ("alternateName", .string),
        ("name", .string),
        ("description", .string),
        ("url", .string),
        ("image", .anyOf([.string, .array(.string)])),
        ("sameAs", .anyOf([.string, .array(.string)])),
    ]
}
