import CustosCore

extension JSONValue {
    /// The string at `key`, or an error naming `path`.
    func requiredString(_ key: String, in path: String) throws(OperatorError) -> String {
        guard let value = self[key]?.stringValue else { throw OperatorError("\(path).\(key) must be a string") }
        return value
    }

    /// The object at `key`; an empty one when absent or null, an error when it is something else.
    func optionalObject(_ key: String, in path: String) throws(OperatorError) -> [String: JSONValue] {
        guard let value = self[key], !value.isNull else { return [:] }
        guard let object = value.objectValue else { throw OperatorError("\(path).\(key) must be an object") }
        return object
    }

    /// The array at `key`; an empty one when absent or null, an error when it is something else.
    func optionalArray(_ key: String, in path: String) throws(OperatorError) -> [JSONValue] {
        guard let value = self[key], !value.isNull else { return [] }
        guard let array = value.arrayValue else { throw OperatorError("\(path).\(key) must be an array") }
        return array
    }

    /// A map of strings (labels, annotations); absent is empty.
    func stringMap(_ key: String, in path: String) throws(OperatorError) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in try optionalObject(key, in: path) {
            guard let text = value.stringValue else { throw OperatorError("\(path).\(key).\(name) must be a string") }
            result[name] = text
        }
        return result
    }

    /// A copy with `value` at `key` (this must be an object, or it becomes one).
    public func setting(_ key: String, to value: JSONValue) -> JSONValue {
        var members = objectValue ?? [:]
        members[key] = value
        return .object(members)
    }

    /// Whether every member of `self` is in `other` with an equal value, recursively; arrays must have the same
    /// length with each element a subset of its counterpart.
    ///
    /// This is how drift is told from defaulting: the API server adds fields (defaults, status, managedFields) to
    /// what was sent, but a field the operator sets and someone changed makes the subset fail.
    func isSubset(of other: JSONValue) -> Bool {
        switch (self, other) {
        case (.object(let mine), .object(let theirs)):
            return mine.allSatisfy { key, value in theirs[key].map { value.isSubset(of: $0) } ?? value.isEmptyContainer
            }
        case (.array(let mine), .array(let theirs)):
            return mine.count == theirs.count && zip(mine, theirs).allSatisfy { $0.isSubset(of: $1) }
        default:
            return self == other
        }
    }

    /// An empty object or array, which the API server drops from what it stores.
    var isEmptyContainer: Bool {
        switch self {
        case .object(let members): members.isEmpty
        case .array(let elements): elements.isEmpty
        default: false
        }
    }
}

extension [String: String] {
    /// The map as a JSON object.
    var json: JSONValue { .object(mapValues { .string($0) }) }
}
