import Foundation
import Testing

extension Platforms.Shared {
    /// A known path asked with a method it does not serve answers 405 with `Allow`, on every process; unknown paths
    /// stay 404.
    @Suite("Method not allowed")
    struct MethodNotAllowedTests {
        @Test("405 with Allow for known paths, 404 for unknown ones, JSON either way")
        func methods() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("methods"), on: platform)
            let id = String(repeating: "a", count: 64)
            let cases: [(String, String, String)] = [
                ("DELETE", tenant.gatewayURL + "/metrics", "GET"),
                ("QUERY", tenant.gatewayURL + "/api/v1/ledger", "GET"),
                ("TRACE", tenant.gatewayURL + "/health/live", "GET"),
                ("PUT", tenant.gatewayURL + "/api/v1/ledger/messages", "GET, POST"),
                ("POST", tenant.gatewayURL + "/api/v1/ledger/messages/\(id)", "GET"),
                ("PATCH", platform.controlURL + "/admin/v1/tenants", "GET, POST"),
            ]
            for (method, url, allow) in cases {
                let response = try await HTTP.request(method, url, headers: [("X-API-Key", tenant.apiKey)])
                #expect(response.status == 405, "\(method) \(url): \(response.status) \(response.text)")
                #expect(response.headers.first(name: "Allow") == allow, "\(method) \(url)")
                #expect((response.object["error"] as? String)?.contains("not allowed") == true, "\(response.text)")
            }
            let unknown = try await HTTP.request("GET", tenant.gatewayURL + "/api/v1/nothing-here")
            #expect(unknown.status == 404 && unknown.object["error"] != nil)
        }
    }
}
