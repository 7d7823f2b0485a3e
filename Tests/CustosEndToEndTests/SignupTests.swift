import Foundation
import Testing

extension Platforms.Shared {
    /// Self-service signup through the real processes: no credential, a pooled tenant on the signup plan, a first
    /// key that works at once, bounds per client address.
    @Suite("Signup")
    struct SignupTests {
        static func signup(_ platform: PlatformProcess, _ body: [String: Any]) async throws -> HTTP.Response {
            try await HTTP.request("POST", platform.controlURL + "/v1/signup", body: HTTP.json(body))
        }

        @Test("an organisation signs up, gets its gateway and key once, and is bounded per address")
        func signup() async throws {
            let platform = try SharedPlatform.platform()
            let email = "ops@acme.example"
            // Refused without counting: what is not a signup does not use up the address's allowance.
            for (body, reason) in [
                (["organization": "Acme", "email": "not-an-address"], "email"),
                (["organization": "", "email": email], "organization"),
                (["organization": "Acme", "email": email, "admin": true], "unknown field admin"),
                (["organization": "Acme", "email": email, "tenant": "Bad_Id"], "tenant"),
            ] as [([String: Any], String)] {
                let refused = try await Self.signup(platform, body)
                #expect(refused.status == 400 && refused.text.contains(reason), "\(body): \(refused.text)")
            }

            let first = try await Self.signup(platform, ["organization": "Acme Ltd.", "email": email])
            #expect(first.status == 201, "\(first.text)")
            let tenant = try #require(first.object["tenant"] as? [String: Any])
            let id = try #require(tenant["id"] as? String)
            #expect(id.hasPrefix("acme-ltd-"), "\(id)")
            #expect(tenant["plan"] as? String == "free" && tenant["isolation"] as? String == "pooled")
            let gateway = try #require(tenant["gatewayUrl"] as? String)
            let key = try #require((first.object["apiKey"] as? [String: Any])?["secret"] as? String)
            platform.note(secret: key)
            let written = try await HTTP.request(
                "POST", gateway + "/api/v1/ledger/messages", headers: [("X-API-Key", key)],
                body: HTTP.json(["tag": "signed-up", "data": 1]))
            #expect(written.status == 201, "the first key writes at once: \(written.text)")
            let usage = try await HTTP.request("GET", gateway + "/api/v1/usage", headers: [("X-API-Key", key)])
            #expect(usage.status == 200 && usage.object["plan"] as? String == "free", "tenant-admin: \(usage.text)")

            let taken = try await Self.signup(platform, ["organization": "Acme", "email": email, "tenant": id])
            #expect(taken.status == 409, "\(taken.text)")
            let second = try await Self.signup(platform, ["organization": "Acme Two", "email": email])
            #expect(second.status == 201, "\(second.text)")
            if let secret = (second.object["apiKey"] as? [String: Any])?["secret"] as? String {
                platform.note(secret: secret)
            }
            let bounded = try await Self.signup(platform, ["organization": "Acme Three", "email": email])
            #expect(bounded.status == 429 && bounded.text.contains("one address"), "\(bounded.text)")
            #expect(Int(bounded.headers.first(name: "Retry-After") ?? "") ?? 0 > 60)

            let shown = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/operations?tenant=\(id)",
                headers: [("Authorization", "Bearer \(platform.adminToken)")])
            let operation = (shown.object["operations"] as? [[String: Any]])?.first
            #expect((operation?["actor"] as? String)?.hasPrefix("signup ") == true, "\(shown.text)")
            #expect((operation?["request"] as? [String: Any])?["email"] as? String == email)
        }
    }
}
