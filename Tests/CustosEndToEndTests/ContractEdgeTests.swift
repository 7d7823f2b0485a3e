import Foundation
import Testing

extension Platforms.Shared {
    /// Edges of docs/openapi/control.json and tenant.json that a generator of requests from those documents reaches
    /// (schemathesis found each of them): what the documents allow is served, what they refuse is a 400.
    @Suite("API contract edges")
    struct ContractEdgeTests {
        @Test("an optional body may be left out, with or without a Content-Type")
        func absentOptionalBody() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("edges"), on: platform)
            let admin = [("Authorization", "Bearer \(platform.adminToken)")]
            let keys = platform.controlURL + "/admin/v1/tenants/\(tenant.id)/keys"
            var secrets: [String] = []
            for headers in [admin, admin + [("Content-Type", "application/json"), ("Content-Length", "0")]] {
                let created = try await HTTP.request("POST", keys, headers: admin, body: HTTP.json(["name": "edge"]))
                let id = try #require((created.object["key"] as? [String: Any])?["id"] as? String, "\(created.text)")
                let rotated = try await HTTP.request("POST", keys + "/\(id)/rotate", headers: headers)
                #expect(rotated.status == 201, "no body is the default rotation: \(rotated.text)")
                secrets += [created.object["secret"] as? String, rotated.object["secret"] as? String].compactMap(\.self)
            }
            for secret in secrets { platform.note(secret: secret) }
            let own = try await HTTP.request(
                "POST", tenant.gatewayURL + "/api/v1/keys", headers: [("X-API-Key", tenant.apiKey)],
                body: HTTP.json(["name": "edge"]))
            let ownID = try #require((own.object["key"] as? [String: Any])?["id"] as? String, "\(own.text)")
            let rotated = try await HTTP.request(
                "POST", tenant.gatewayURL + "/api/v1/keys/\(ownID)/rotate",
                headers: [("X-API-Key", tenant.apiKey), ("Content-Type", "application/json"), ("Content-Length", "0")])
            #expect(rotated.status == 201, "through the tenant API as well: \(rotated.text)")
            for secret in [own.object["secret"], rotated.object["secret"]].compactMap({ $0 as? String }) {
                platform.note(secret: secret)
            }
        }

        @Test("U+0000 in a control-plane string is a 400 that says where, not a database error")
        func nulInStrings() async throws {
            let platform = try SharedPlatform.platform()
            let admin = [("Authorization", "Bearer \(platform.adminToken)")]
            let id = TenantFixture.uniqueID("nul")
            let created = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants", headers: admin,
                body: HTTP.json(["id": id, "name": "a\u{0}b"]))
            #expect(
                created.status == 400 && created.text.contains("body.name must not contain U+0000"), "\(created.text)")
            let absent = try await HTTP.request("GET", platform.controlURL + "/admin/v1/tenants/\(id)", headers: admin)
            #expect(absent.status == 404, "nothing was created: \(absent.text)")
            let signup = try await HTTP.request(
                "POST", platform.controlURL + "/v1/signup",
                body: HTTP.json(["organization": "Nul\u{0} Ltd", "email": "it@example.com"]))
            #expect(signup.status == 400 && signup.text.contains("U+0000"), "\(signup.text)")
        }

        @Test("policy texts up to the documented length pass every body limit; a longer one is a 400")
        func policyTextLength() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ptext"), on: platform)
            let admin = [("Authorization", "Bearer \(platform.adminToken)")]
            let policies = platform.controlURL + "/admin/v1/tenants/\(tenant.id)/policies"
            let tooLong = try await HTTP.request(
                "PUT", policies, headers: admin, body: HTTP.json(["text": String(repeating: "a", count: 262_145)]))
            #expect(tooLong.status == 400 && tooLong.text.contains("262144"), "\(tooLong.text)")
            // 100,000 characters of comment are over the ledger routes' 64 KiB, and within the policies route's.
            let text =
                "// " + String(repeating: "c", count: 100_000) + "\n"
                + #"@id("\#(tenant.id)/long") forbid (principal, action in Action::"ledger:write", resource);"#
            let own = try await HTTP.request(
                "PUT", tenant.gatewayURL + "/api/v1/policies", headers: [("X-API-Key", tenant.apiKey)],
                body: HTTP.json(["text": text]))
            #expect(own.status == 200, "\(own.text.prefix(300))")
            let stored = try await HTTP.request("GET", policies, headers: admin)
            #expect(stored.object["text"] as? String == text, "\(stored.text.suffix(300))")
        }

        @Test("log positions past 2^53 - 1 are refused as the documents say, not read as an empty page")
        func logPositions() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("pos"), on: platform)
            let admin = [("Authorization", "Bearer \(platform.adminToken)")]
            let beyond = "9007199254740992"
            for url in [
                platform.controlURL + "/admin/v1/audit/entries?after=\(beyond)",
                platform.controlURL + "/admin/v1/audit/consistency?from=1&to=\(beyond)",
            ] {
                let response = try await HTTP.request("GET", url, headers: admin)
                #expect(
                    response.status == 400 && response.text.contains("9007199254740991"), "\(url): \(response.text)")
            }
            for path in ["/api/v1/ledger/milestones?after=\(beyond)", "/api/v1/ledger/consistency?from=1&to=\(beyond)"]
            {
                let response = try await HTTP.request(
                    "GET", tenant.gatewayURL + path, headers: [("X-API-Key", tenant.apiKey)])
                #expect(
                    response.status == 400 && response.text.contains("9007199254740991"), "\(path): \(response.text)")
            }
            let spaced = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/suspend",
                headers: admin + [("Idempotency-Key", "two words")])
            #expect(spaced.status == 400 && spaced.text.contains("Idempotency-Key"), "\(spaced.text)")
            // A key is taken as sent: `%` is one of its characters, not the start of an escape (`s%50` is not `sP`,
            // and `r%P` is a key, not a broken escape).
            var operations: [String] = []
            for key in ["s%50", "sP", "s%50"] {
                let suspended = try await HTTP.request(
                    "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/suspend",
                    headers: admin + [("Idempotency-Key", key)])
                operations.append(suspended.object["id"] as? String ?? suspended.text)
            }
            #expect(operations[0] == operations[2] && operations[0].hasPrefix("op_"), "a retry: \(operations)")
            #expect(operations[1].contains("only an active tenant"), "sP is a new suspension: \(operations)")
            let resumed = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/resume",
                headers: admin + [("Idempotency-Key", "r%P")])
            #expect(resumed.status == 200, "\(resumed.text)")
        }
    }
}
