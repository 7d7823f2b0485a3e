import CustosCore
import Foundation

/// Typed reads from a JSON object that report the full path of a bad field.
///
/// A wrapper rather than an extension on `JSONValue`, so that helpers added to CustosCore later can
/// never clash with these.
struct JSONFields: Sendable {
    /// The object's members.
    let members: [String: JSONValue]
    /// The path of this object, e.g. `proof`, used as the prefix of field names in errors.
    let path: String

    /// Wraps `value`, which must be an object.
    init(_ value: JSONValue, path: String) throws(IdentityError) {
        guard case .object(let members) = value else {
            throw IdentityError.malformed(field: path.isEmpty ? "(document)" : path, reason: "must be a JSON object")
        }
        self.members = members
        self.path = path
    }

    /// The path of member `key`.
    func field(_ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    /// The value of `key`, if present and not null.
    subscript(key: String) -> JSONValue? {
        guard let value = members[key], !value.isNull else { return nil }
        return value
    }

    /// A required string member.
    func string(_ key: String) throws(IdentityError) -> String {
        guard let value = members[key] else {
            throw IdentityError.malformed(field: field(key), reason: "is missing")
        }
        guard let string = value.stringValue else {
            throw IdentityError.malformed(field: field(key), reason: "must be a string")
        }
        return string
    }

    /// An optional string member; present but not a string is an error.
    func optionalString(_ key: String) throws(IdentityError) -> String? {
        guard let value = self[key] else { return nil }
        guard let string = value.stringValue else {
            throw IdentityError.malformed(field: field(key), reason: "must be a string")
        }
        return string
    }

    /// A required RFC 3339 date-time member.
    func date(_ key: String) throws(IdentityError) -> Date {
        let text = try string(key)
        guard let date = Timestamp.parse(text) else {
            throw IdentityError.malformed(field: field(key), reason: "must be an RFC 3339 date-time, got '\(text)'")
        }
        return date
    }

    /// An optional RFC 3339 date-time member.
    func optionalDate(_ key: String) throws(IdentityError) -> Date? {
        guard let text = try optionalString(key) else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw IdentityError.malformed(field: field(key), reason: "must be an RFC 3339 date-time, got '\(text)'")
        }
        return date
    }

    /// A required member holding a string or an array of strings (JSON-LD's "one or many").
    func strings(_ key: String) throws(IdentityError) -> [String] {
        guard let value = self[key] else {
            throw IdentityError.malformed(field: field(key), reason: "is missing")
        }
        return try JSONFields.strings(value, field: field(key))
    }

    /// An optional member holding a string or an array of strings.
    func optionalStrings(_ key: String) throws(IdentityError) -> [String] {
        guard let value = self[key] else { return [] }
        return try JSONFields.strings(value, field: field(key))
    }

    /// A member holding one value or an array of values, as an array (empty when absent).
    func list(_ key: String) -> [JSONValue] {
        guard let value = self[key] else { return [] }
        if case .array(let elements) = value {
            return elements
        }
        return [value]
    }

    /// `value` as a list of strings; a single string is a one-element list.
    static func strings(_ value: JSONValue, field: String) throws(IdentityError) -> [String] {
        switch value {
        case .string(let string):
            return [string]
        case .array(let elements):
            var result: [String] = []
            for (index, element) in elements.enumerated() {
                guard let string = element.stringValue else {
                    throw IdentityError.malformed(field: "\(field)[\(index)]", reason: "must be a string")
                }
                result.append(string)
            }
            return result
        default:
            throw IdentityError.malformed(field: field, reason: "must be a string or an array of strings")
        }
    }

    /// `object` without member `key` (unchanged if it is not an object).
    static func removing(_ key: String, from object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        members.removeValue(forKey: key)
        return .object(members)
    }

    /// `object` with member `key` set to `value` (unchanged if it is not an object).
    static func setting(_ key: String, to value: JSONValue, in object: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        members[key] = value
        return .object(members)
    }

    /// The canonical bytes of `value`, with non-finite numbers reported as malformed input.
    static func canonical(_ value: JSONValue, field: String) throws(IdentityError) -> [UInt8] {
        do {
            return try JCS.canonicalBytes(value)
        } catch {
            throw IdentityError.malformed(field: field, reason: error.description)
        }
    }

    /// `date` as an RFC 3339 UTC string with whole seconds, the form every proof and credential uses.
    static func timestamp(_ date: Date) -> String {
        Timestamp.iso8601(date)
    }
}
