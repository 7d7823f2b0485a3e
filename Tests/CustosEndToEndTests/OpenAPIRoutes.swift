import Foundation

/// Checks that every operation an OpenAPI document lists is actually routed by a running server.
enum OpenAPIRoutes {
    /// Returns the operations ("METHOD path") that the server answers with "no such route".
    static func unrouted(baseURL: String, headers: [(String, String)]) async throws -> [String] {
        let document = try await HTTP.request("GET", baseURL + "/openapi.json")
        guard document.status == 200, let paths = document.object["paths"] as? [String: [String: Any]] else {
            return ["GET /openapi.json"]
        }
        var missing: [String] = []
        for (path, operations) in paths {
            let concrete = path.replacingOccurrences(
                of: "\\{[^}]+\\}", with: String(repeating: "0", count: 64), options: .regularExpression)
            for method in operations.keys {
                let response = try await HTTP.request(
                    method.uppercased(), baseURL + concrete, headers: headers, body: Array("{}".utf8))
                let error = response.object["error"] as? String ?? ""
                if error.hasPrefix("no such route") || error.hasPrefix("method") { missing.append("\(method) \(path)") }
            }
        }
        return missing
    }
}
