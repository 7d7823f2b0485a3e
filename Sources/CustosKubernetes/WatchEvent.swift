import CustosCore

/// One line of a watch stream.
public struct WatchEvent: Sendable, Equatable {
    /// What happened to the object.
    public enum Kind: String, Sendable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
        case bookmark = "BOOKMARK"
        /// The stream failed; `object` is a `Status` (410 Gone: the resourceVersion is too old, list again).
        case error = "ERROR"
    }

    /// What happened.
    public let kind: Kind
    /// The object as it now is (as it was last, for `deleted`).
    public let object: JSONValue

    /// An event.
    public init(kind: Kind, object: JSONValue) {
        self.kind = kind
        self.object = object
    }

    /// Parses one line of the stream: `{"type": "...", "object": {...}}`.
    init(line: some Collection<UInt8>, path: String) throws(KubernetesError) {
        let value: JSONValue
        do { value = try JSONParser.parse(line) } catch {
            throw .invalidResponse(path: path, message: "a watch line is not JSON: \(error)")
        }
        guard let type = value["type"]?.stringValue, let kind = Kind(rawValue: type), let object = value["object"]
        else {
            throw .invalidResponse(path: path, message: "a watch line has no known type and object")
        }
        self.init(kind: kind, object: object)
    }
}
