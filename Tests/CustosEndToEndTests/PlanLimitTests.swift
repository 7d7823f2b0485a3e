import Foundation
import Testing

extension Platforms {
    /// A plan's rate limits and daily quota through the real processes, with a plans file of tiny limits.
    @Suite("Plan limits")
    struct PlanLimitTests {
        static let plans = """
            defaultPlan: tiny
            signupPlan: tiny
            plans:
              tiny:
                description: Tiny limits for a test.
                isolation: pooled
                quotas: { apiKeys: 2, entriesPerDay: 12 }
                rateLimits:
                  perKey: { requestsPerSecond: 2, burst: 4 }
                  perTenant: { requestsPerSecond: 100, burst: 100 }
              roomy:
                description: No limits.
                isolation: pooled
            """

        @Test(
            "429 with Retry-After and RateLimit headers past the bucket; the daily quota refuses with a reason; usage shows it"
        )
        func limits() async throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plans-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("plans.yaml")
            try Self.plans.write(to: file, atomically: true, encoding: .utf8)
            let platform = try await PlatformProcess.start(arguments: ["--plans", file.path])
            defer { platform.process.terminate() }
            let tenant = try await TenantFixture.create("limited", on: platform)

            // The key's bucket holds 4: a burst of 8 at once gets at least 3 refusals, each saying when to come back,
            // and each sent only after the refusal delay (a flood of refusals costs the gateway nothing meanwhile).
            var statuses: [Int] = []
            var refusal: HTTP.Response?
            let burst = ContinuousClock.now
            let responses = try await withThrowingTaskGroup(of: HTTP.Response.self) { group in
                for index in 0..<8 { group.addTask { try await tenant.post(["tag": "burst", "data": index]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(ContinuousClock.now - burst >= .milliseconds(950), "refusals wait a second before they are sent")
            for response in responses {
                statuses.append(response.status)
                if response.status == 429 { refusal = response }
                if response.status == 201 {
                    #expect(response.headers.first(name: "RateLimit-Policy")?.contains("\"key\";q=4;w=2") == true)
                    #expect(response.headers.first(name: "RateLimit")?.contains("r=") == true)
                }
            }
            #expect(statuses.filter { $0 == 429 }.count >= 3, "\(statuses)")
            let refused = try #require(refusal)
            #expect(Int(refused.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
            #expect(refused.text.contains("rate limit"), "\(refused.text)")
            #expect(refused.headers.first(name: "RateLimit")?.contains("\"key\";r=0") == true)
            let written = statuses.filter { $0 == 201 }.count

            // The daily quota of 12 entries: write slowly (within the bucket) until it refuses.
            var total = written
            var quotaRefusal: HTTP.Response?
            for index in 0..<20 {
                try await Task.sleep(for: .milliseconds(520))
                let response = try await tenant.post(["tag": "daily", "data": index])
                if response.status == 201 {
                    total += 1
                } else if response.status == 429 {
                    if response.text.contains("quota") {
                        quotaRefusal = response
                        break
                    }
                } else {
                    Issue.record("unexpected \(response.status): \(response.text)")
                }
            }
            #expect(total == 12, "exactly the quota was admitted")
            let quota = try #require(quotaRefusal)
            #expect(quota.text.contains("12 entries") && quota.text.contains("midnight UTC"), "\(quota.text)")

            // Usage, once the gateway has stored its counts (every second).
            try await Task.sleep(for: .milliseconds(1500))
            let usage = try await HTTP.request(
                "GET", tenant.gatewayURL + "/api/v1/usage", headers: [("X-API-Key", tenant.apiKey)])
            #expect(usage.status == 200, "\(usage.text)")
            let entries = try #require(usage.object["entries"] as? [String: Any])
            #expect(entries["used"] as? Int == 12 && entries["quota"] as? Int == 12, "\(usage.text)")
            let admin = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/tenants/limited/usage",
                headers: [("Authorization", "Bearer \(platform.adminToken)")])
            #expect((admin.object["entries"] as? [String: Any])?["used"] as? Int == 12, "\(admin.text)")
            #expect((admin.object["apiKeys"] as? [String: Any])?["used"] as? Int == 1)

            // The apiKeys quota of 2: one more key, then a refusal that says what to do.
            let headers = [("Authorization", "Bearer \(platform.adminToken)"), ("Content-Type", "application/json")]
            let second = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/limited/keys", headers: headers,
                body: HTTP.json(["name": "second"]))
            #expect(second.status == 201, "\(second.text)")
            if let secret = (second.object["secret"] as? String) { platform.note(secret: secret) }
            let third = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/limited/keys", headers: headers,
                body: HTTP.json(["name": "third"]))
            #expect(third.status == 429 && third.text.contains("revoke one"), "\(third.text)")

            // Another plan has no limits: the same tenant moved to it writes again.
            let moved = try await HTTP.request(
                "PUT", platform.controlURL + "/admin/v1/tenants/limited/plan", headers: headers,
                body: HTTP.json(["plan": "roomy"]))
            #expect(moved.status == 200, "\(moved.text)")
            let after = try await tenant.post(["tag": "roomy", "data": 1])
            #expect(after.status == 201, "the new plan applies at once: \(after.text)")
        }

        @Test("a plans file that does not validate stops custos up with the field that is wrong")
        func invalidPlans() throws {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent(
                "bad-plans-\(UUID().uuidString).yaml")
            try "defaultPlan: gold\nsignupPlan: gold\nplans:\n  gold: { description: x, isolation: shared }\n"
                .write(to: file, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(at: file) }
            let result = try PlatformProcess.run(
                PlatformProcess.binDirectory.appendingPathComponent("custos").path,
                ["up", "--plans", file.path, "--data-dir", FileManager.default.temporaryDirectory.path + "/never"])
            #expect(result.status != 0)
            #expect(result.output.contains("plans.gold.isolation"), "\(result.output)")
        }
    }
}
