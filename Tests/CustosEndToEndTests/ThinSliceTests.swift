import Foundation
import Testing

extension Platforms.Shared {
    /// The thin slice through real processes: `custos up`, the admin API, a tenant gateway, the ledger worker.
    /// That `custos up` exits cleanly on SIGTERM, leaves no child behind and never logged a secret of any test is
    /// checked when the shared platform stops (`SharedPlatform`).
    @Suite("End to end")
    struct ThinSliceTests {
        @Test("tenant creation, writes and reads, cross-tenant rejection, bad input, no secrets in logs")
        func thinSlice() async throws {
            let platform = try SharedPlatform.platform()
            let acme = try await TenantFixture.create(TenantFixture.uniqueID("acme"), on: platform)
            let globex = try await TenantFixture.create(TenantFixture.uniqueID("globex"), on: platform)

            // A JSON entry round-trips (data comes back as the same JSON value).
            let written = try await acme.post(["tag": "orders", "data": ["id": 42, "note": "a/b", "amount": 12.5]])
            #expect(written.status == 201, "\(written.text)")
            let id = try #require(written.object["messageId"] as? String)
            #expect(id.count == 64)
            let read = try await acme.get(id)
            #expect(read.status == 200)
            #expect(read.object["tag"] as? String == "orders")
            let data = try #require(read.object["data"] as? [String: Any])
            #expect(data["id"] as? Int == 42 && data["note"] as? String == "a/b" && data["amount"] as? Double == 12.5)

            // Binary entries, and the key in the IS-style query parameter.
            let binary = try await HTTP.request(
                "POST", acme.gatewayURL + "/api/v1/ledger/messages?api-key=\(acme.apiKey)",
                body: HTTP.json(["tag": "blob", "data": "AAEC/w==", "encoding": "base64"]))
            #expect(binary.status == 201, "\(binary.text)")
            let binaryID = try #require(binary.object["messageId"] as? String)
            let binaryRead = try await acme.get(binaryID)
            #expect(
                binaryRead.object["data"] as? String == "AAEC/w=="
                    && binaryRead.object["encoding"] as? String == "base64")

            // Another tenant's key never sees acme's data, on acme's gateway or its own.
            let foreign = try await acme.get(id, key: globex.apiKey)
            #expect(foreign.status == 401)
            #expect(!foreign.text.contains("orders"))
            let ownGateway = try await globex.get(id)
            #expect(ownGateway.status == 404)
            #expect(!ownGateway.text.contains("orders"))

            // Bad input: clear 4xx JSON errors.
            let cases: [(HTTP.Response, Int, String)] = [
                (try await acme.get(id, key: ""), 401, "API key"),
                (try await acme.get(id, key: "cst_notakey"), 401, "malformed"),
                (
                    try await HTTP.request("GET", acme.gatewayURL + "/api/v1/ledger/messages/\(id)"), 401,
                    "missing API key"
                ),
                (try await acme.get(String(repeating: "0", count: 64)), 404, "no message"),
                (try await acme.get("xyz"), 400, "64 hexadecimal"),
                (try await acme.post(["data": 1]), 400, "tag"),
                (try await acme.post(["tag": "t"]), 400, "data"),
                (try await acme.post(["tag": "t", "data": 1, "extra": true]), 400, "unknown field"),
                (try await acme.post(["tag": String(repeating: "t", count: 65), "data": 1]), 400, "at most 64"),
                (try await acme.post(["tag": "t", "data": "%%%", "encoding": "base64"]), 400, "base64"),
                (try await acme.post(["tag": "t", "data": String(repeating: "x", count: 40_000)]), 413, "at most"),
                (
                    try await HTTP.request(
                        "POST", acme.gatewayURL + "/api/v1/ledger/messages", headers: [("X-API-Key", acme.apiKey)],
                        body: Array("{\"tag\": \"t\", ".utf8)), 400, "not valid JSON"
                ),
                (
                    try await HTTP.request(
                        "POST", acme.gatewayURL + "/api/v1/ledger/messages", headers: [("X-API-Key", acme.apiKey)],
                        body: [UInt8](repeating: 0x20, count: 200_000)), 413, "too large"
                ),
                (
                    try await HTTP.request(
                        "POST", platform.controlURL + "/admin/v1/tenants", headers: [("Authorization", "Bearer csa_x")],
                        body: HTTP.json(["id": "evil"])), 401, "administrator token"
                ),
                (
                    try await HTTP.request(
                        "POST", platform.controlURL + "/admin/v1/tenants",
                        headers: [("Authorization", "Bearer \(platform.adminToken)")], body: HTTP.json(["id": acme.id])),
                    409, "already exists"
                ),
                (
                    try await HTTP.request(
                        "POST", platform.controlURL + "/admin/v1/tenants",
                        headers: [("Authorization", "Bearer \(platform.adminToken)")], body: HTTP.json(["id": "A!"])),
                    400, "tenant id"
                ),
            ]
            for (response, status, fragment) in cases {
                #expect(
                    response.status == status,
                    "expected \(status) for '\(fragment)', got \(response.status) \(response.text)")
                let error = response.object["error"] as? String ?? ""
                #expect(
                    error.localizedCaseInsensitiveContains(fragment), "error '\(error)' should mention '\(fragment)'")
            }
            // Every operation the OpenAPI documents list is routed.
            #expect(
                try await OpenAPIRoutes.unrouted(baseURL: acme.gatewayURL, headers: [("X-API-Key", acme.apiKey)]) == [])
            #expect(
                try await OpenAPIRoutes.unrouted(
                    baseURL: platform.controlURL, headers: [("Authorization", "Bearer \(platform.adminToken)")]) == [])

            // Nothing above changed acme's ledger: the first entry is still there, unchanged.
            #expect(try await acme.get(id).object["tag"] as? String == "orders")

            // The log so far, once the last read above is in it: the processes write it as they go, and the
            // shared platform keeps running (its whole log is checked for every test's secrets when it stops).
            let lastRequest = "/api/v1/ledger/messages/\(id)"
            let logged = ContinuousClock.now + .seconds(5)
            while !platform.log.contains(lastRequest) && ContinuousClock.now < logged {
                try await Task.sleep(for: .milliseconds(50))
            }
            let log = platform.log
            let serviceToken = try String(
                contentsOf: platform.dataDirectory.appendingPathComponent("service-token"), encoding: .utf8)
            for secret in [acme.apiKey, globex.apiKey, platform.adminToken, serviceToken] {
                #expect(!log.contains(secret), "a secret appeared in the logs")
            }
            #expect(log.contains(lastRequest), "request logging should be on at debug level")
        }
    }
}
