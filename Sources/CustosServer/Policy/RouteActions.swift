import CustosCore
import HTTPTypes

/// The policy action of each route: the operationId the route has in its OpenAPI document, so the document is the
/// one place that names a route's action.
public struct RouteActions: Sendable {
    private var actions: [String: String] = [:]

    /// The operations of an OpenAPI document (JSON), keyed by method and path template.
    public init(openAPIDocument json: String) throws {
        guard let paths = try JSONParser.parse(json)["paths"]?.objectValue else {
            throw RequestError(.internalFailure, "the OpenAPI document has no paths")
        }
        for (path, operations) in paths {
            for (method, operation) in operations.objectValue ?? [:] {
                if let id = operation["operationId"]?.stringValue { actions["\(method.uppercased()) \(path)"] = id }
            }
        }
    }

    /// Routes whose router path differs from their document path (a catch-all for a parameter of several
    /// segments) answer to the document's operation.
    public mutating func alias(_ method: HTTPRequest.Method, _ routerPath: String, to documentPath: String) {
        actions["\(method.rawValue) \(routerPath)"] = actions["\(method.rawValue) \(documentPath)"]
    }

    /// The action of the route matched at `endpointPath`.
    public func action(_ method: HTTPRequest.Method, _ endpointPath: String) -> String? {
        actions["\(method.rawValue) \(endpointPath)"]
    }
}
