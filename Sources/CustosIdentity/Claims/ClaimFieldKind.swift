import CustosCore

/// What one field of an identity claim must hold: the JSON Schema that IS's TypeBox declaration of the
/// field compiles to, reduced to the keywords those schemas use.
indirect enum ClaimFieldKind: Sendable {
    /// Any JSON value, `null` included (`Type.Any()`, and unions with it).
    case any
    /// A string (`Type.String()`).
    case string
    /// A string of at least one code point (`Type.String({ minLength: 1 })`).
    case nonEmptyString
    /// A number, integral or not (`Type.Number()`).
    case number
    /// `true` or `false`.
    case boolean
    /// An RFC 3339 full-date (`format: 'date'`).
    case fullDate
    /// An RFC 3339 date-time as ajv-formats 2.1 reads it (`format: 'date-time'`).
    case dateTime
    /// One of these strings exactly (`Type.Enum`).
    case oneOf([String])
    /// An array whose elements are all of the kind (`Type.Array`).
    case array(ClaimFieldKind)
    /// A non-empty array whose elements are all of the kind.
    case nonEmptyArray(ClaimFieldKind)
    /// An object that fits the schema (`Type.Object`, additional members allowed).
    case object(ClaimSchema)
    /// A value of at least one of the kinds (`Type.Union`).
    case anyOf([ClaimFieldKind])

    /// Checks `value`, throwing for the first field that does not fit; `path` is the value's own path.
    ///
    /// A mismatch is reported at the deepest object that can be blamed without guessing: inside an object
    /// or array that only one alternative of a union could have meant, else at the value itself.
    func validate(_ value: JSONValue, at path: String) throws(IdentityError) {
        switch self {
        case .any:
            return
        case .string, .nonEmptyString, .number, .boolean, .fullDate, .dateTime, .oneOf:
            guard matchesScalar(value) else { throw mismatch(at: path) }
        case .array(let element), .nonEmptyArray(let element):
            guard case .array(let elements) = value else { throw mismatch(at: path) }
            if case .nonEmptyArray = self, elements.isEmpty {
                throw mismatch(at: path)
            }
            for (index, item) in elements.enumerated() where !element.matches(item) {
                // A scalar in the wrong place is best explained by the whole array's rule; an object or
                // array element is explained from inside.
                guard item.isContainer, element.accepts(shapeOf: item) else { throw mismatch(at: path) }
                try element.validate(item, at: "\(path)[\(index)]")
            }
        case .object(let schema):
            guard case .object(let members) = value else { throw mismatch(at: path) }
            try schema.validate(members, at: path)
        case .anyOf(let alternatives):
            if alternatives.contains(where: { $0.matches(value) }) {
                return
            }
            let candidates = alternatives.filter { $0.accepts(shapeOf: value) }
            if value.isContainer, candidates.count == 1 {
                try candidates[0].validate(value, at: path)
            }
            throw mismatch(at: path)
        }
    }

    /// Whether `value` fits.
    func matches(_ value: JSONValue) -> Bool {
        (try? validate(value, at: "")) != nil
    }

    /// The rule in words, completing "`field` must be …".
    var description: String {
        switch self {
        case .any: return "any JSON value"
        case .string: return "a string"
        case .nonEmptyString: return "a non-empty string"
        case .number: return "a number"
        case .boolean: return "true or false"
        case .fullDate: return "a date YYYY-MM-DD"
        case .dateTime: return "a date-time such as 2024-05-01T12:00:00Z"
        case .oneOf(let values): return "one of: " + values.joined(separator: ", ")
        case .array(let element): return "an array of" + element.pluralDescription
        case .nonEmptyArray(let element): return "a non-empty array of" + element.pluralDescription
        case .object(let schema): return "an object (\(schema.name))"
        case .anyOf(let alternatives): return alternatives.map(\.description).joined(separator: " or ")
        }
    }

    /// The elements of an array of this kind, completing "an array of…".
    private var pluralDescription: String {
        switch self {
        case .any: return " any JSON values"
        case .string: return " strings"
        case .nonEmptyString: return " non-empty strings"
        case .number: return " numbers"
        case .boolean: return " booleans"
        case .fullDate: return " dates YYYY-MM-DD"
        case .dateTime: return " date-times"
        case .oneOf(let values): return ": " + values.joined(separator: ", ")
        case .array, .nonEmptyArray: return " arrays"
        case .object(let schema): return " objects (\(schema.name))"
        case .anyOf(let alternatives): return alternatives.map(\.pluralDescription).joined(separator: " or")
        }
    }

    /// Whether a value of `value`'s JSON type could fit, whatever its content.
    private func accepts(shapeOf value: JSONValue) -> Bool {
        switch (self, value) {
        case (.any, _): return true
        case (.string, .string), (.nonEmptyString, .string), (.fullDate, .string), (.dateTime, .string),
            (.oneOf, .string):
            return true
        case (.number, .number), (.boolean, .bool): return true
        case (.array, .array), (.nonEmptyArray, .array): return true
        case (.object, .object): return true
        case (.anyOf(let alternatives), _): return alternatives.contains { $0.accepts(shapeOf: value) }
        default: return false
        }
    }

    /// Whether `value` fits a kind that has no members to descend into.
    private func matchesScalar(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.string, .string): return true
        // minLength counts code points in Ajv; a Swift string is non-empty exactly when it has one.
        case (.nonEmptyString, .string(let text)): return !text.isEmpty
        case (.number, .number): return true
        case (.boolean, .bool): return true
        case (.fullDate, .string(let text)): return ClaimDateFormat.isFullDate(text)
        case (.dateTime, .string(let text)): return ClaimDateFormat.isDateTime(text)
        // Compared scalar by scalar as JavaScript does: Swift's == would also let "\u{212A}" (Kelvin) be "K".
        case (.oneOf(let values), .string(let text)):
            return values.contains { $0.unicodeScalars.elementsEqual(text.unicodeScalars) }
        default: return false
        }
    }

    private func mismatch(at path: String) -> IdentityError {
        .invalidClaim(field: path, reason: "must be " + description)
    }
}

extension JSONValue {
    /// Whether this is an object or an array, whose members a claim error can point into.
    fileprivate var isContainer: Bool {
        switch self {
        case .object, .array: return true
        default: return false
        }
    }
}
