/// A Kubernetes API call failed. The texts name the request path and the API server's own message, never the
/// bearer token or a request body (which may hold Secret data).
public enum KubernetesError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 409 on an update: the object changed since the `metadata.resourceVersion` the request carried. Get it again
    /// and decide anew.
    case conflict(path: String, message: String)
    /// 409 on a create: an object of that name exists.
    case alreadyExists(path: String, message: String)
    /// 404: no such object (or resource).
    case notFound(path: String)
    /// Any other answer outside 2xx, with the `Status` object's reason and message when there was one.
    case status(code: Int, path: String, reason: String, message: String)
    /// The connection failed or timed out.
    case transport(path: String, message: String)
    /// The answer was not the JSON expected.
    case invalidResponse(path: String, message: String)
    /// The configuration is unusable: a missing token file, a malformed URL or name.
    case configuration(String)

    public var description: String {
        switch self {
        case .conflict(let path, let message): "conflict on \(path): \(message)"
        case .alreadyExists(let path, let message): "already exists: \(path): \(message)"
        case .notFound(let path): "not found: \(path)"
        case .status(let code, let path, let reason, let message): "\(code) \(reason) from \(path): \(message)"
        case .transport(let path, let message): "request to \(path) failed: \(message)"
        case .invalidResponse(let path, let message): "unexpected answer from \(path): \(message)"
        case .configuration(let message): "kubernetes configuration: \(message)"
        }
    }
}
