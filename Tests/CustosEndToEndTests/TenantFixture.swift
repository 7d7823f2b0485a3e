import Foundation

/// A tenant created through the admin API of a running platform.
struct TenantFixture {
    let id: String
    let gatewayURL: String
    let apiKey: String

    /// `base` with a suffix of its own (`acme-1f2e3d4c`), so tests sharing a platform never meet each other's
    /// tenants.
    static func uniqueID(_ base: String) -> String {
        base + "-" + UUID().uuidString.prefix(8).lowercased()
    }

    /// Creates the tenant `id` (on `plan`, else the default plan) and notes its API key as a secret the platform's
    /// log must not contain.
    static func create(_ id: String, plan: String? = nil, on platform: PlatformProcess) async throws -> TenantFixture {
        var body: [String: Any] = ["id": id]
        if let plan { body["plan"] = plan }
        let response = try await HTTP.request(
            "POST", platform.controlURL + "/admin/v1/tenants",
            headers: [("Authorization", "Bearer \(platform.adminToken)"), ("Content-Type", "application/json")],
            body: HTTP.json(body))
        guard response.status == 201, let tenant = response.object["tenant"] as? [String: Any],
            let gateway = tenant["gatewayUrl"] as? String,
            let key = (response.object["apiKey"] as? [String: Any])?["secret"] as? String,
            response.object["gatewayReady"] as? Bool == true
        else { throw E2EError("creating tenant \(id) failed: \(response.status) \(response.text)") }
        platform.note(secret: key)
        return TenantFixture(id: id, gatewayURL: gateway, apiKey: key)
    }

    func post(_ body: [String: Any], key: String? = nil) async throws -> HTTP.Response {
        try await HTTP.request(
            "POST", gatewayURL + "/api/v1/ledger/messages",
            headers: [("X-API-Key", key ?? apiKey), ("Content-Type", "application/json")], body: HTTP.json(body))
    }

    func get(_ id: String, key: String? = nil) async throws -> HTTP.Response {
        try await HTTP.request(
            "GET", gatewayURL + "/api/v1/ledger/messages/\(id)", headers: [("X-API-Key", key ?? apiKey)])
    }
}
