import Foundation
import Testing

extension Platforms.Shared {
    /// The pooled gateway and the tenant lifecycle through the real processes: host-name routing, suspension that
    /// applies at once, idempotent operations, plan changes that move a tenant between gateways.
    @Suite("Tenant lifecycle")
    struct TenantLifecycleTests {
        static func admin(_ platform: PlatformProcess) -> [(String, String)] {
            [("Authorization", "Bearer \(platform.adminToken)"), ("Content-Type", "application/json")]
        }

        /// `url` with its host replaced by the loopback address, so a request names no tenant by host.
        static func shared(_ url: String) throws -> String {
            var components = try #require(URLComponents(string: url))
            components.host = "127.0.0.1"
            return try #require(components.url?.absoluteString)
        }

        @Test("a pooled gateway routes by host name, or by the key alone; a key never crosses tenants")
        func hostRouting() async throws {
            let platform = try SharedPlatform.platform()
            let acme = try await TenantFixture.create(TenantFixture.uniqueID("pool-a"), on: platform)
            let beta = try await TenantFixture.create(TenantFixture.uniqueID("pool-b"), on: platform)
            #expect(acme.gatewayURL.contains("\(acme.id).localhost:"), "\(acme.gatewayURL)")
            let host = try #require(URL(string: acme.gatewayURL)?.port)
            #expect(URL(string: beta.gatewayURL)?.port == host, "both tenants are on the one pooled gateway")

            let written = try await acme.post(["tag": "pooled", "data": 1])
            #expect(written.status == 201, "\(written.text)")
            let id = try #require(written.object["messageId"] as? String)

            // The key alone names its tenant where the host names none.
            let shared = try Self.shared(acme.gatewayURL)
            let byKey = try await HTTP.request(
                "GET", shared + "/api/v1/ledger/messages/\(id)", headers: [("X-API-Key", acme.apiKey)])
            #expect(byKey.status == 200 && byKey.object["tag"] as? String == "pooled", "\(byKey.text)")
            let otherByKey = try await HTTP.request(
                "GET", shared + "/api/v1/ledger/messages/\(id)", headers: [("X-API-Key", beta.apiKey)])
            #expect(otherByKey.status == 404 && !otherByKey.text.contains("pooled"), "\(otherByKey.text)")

            // A key on another tenant's host is refused, like any invalid key.
            let crossed = try await HTTP.request(
                "GET", acme.gatewayURL + "/api/v1/ledger/messages/\(id)", headers: [("X-API-Key", beta.apiKey)])
            #expect(crossed.status == 401 && !crossed.text.contains("pooled"), "\(crossed.text)")
            let spoofed = try await HTTP.request(
                "GET", shared + "/api/v1/ledger/messages/\(id)",
                headers: [("X-API-Key", beta.apiKey), ("Host", "\(acme.id).localhost:\(host)")])
            #expect(spoofed.status == 401, "\(spoofed.text)")

            // Public routes need the host name: each tenant's own JWKS, none without one.
            let jwksA = try await HTTP.request("GET", acme.gatewayURL + "/.well-known/jwks.json")
            let jwksB = try await HTTP.request("GET", beta.gatewayURL + "/.well-known/jwks.json")
            #expect(jwksA.status == 200 && jwksB.status == 200 && jwksA.text != jwksB.text)
            // Key ids name the tenant's DIDs, did:custos:<tenant id without hyphens>:...
            let (networkA, networkB) = (acme.id.filter { $0 != "-" }, beta.id.filter { $0 != "-" })
            #expect(jwksA.text.contains(networkA) && !jwksA.text.contains(networkB), "\(jwksA.text)")
            let anonymous = try await HTTP.request("GET", shared + "/.well-known/jwks.json")
            #expect(anonymous.status == 404 && anonymous.text.contains("<tenant>.localhost"), "\(anonymous.text)")
            let bogus = try await HTTP.request(
                "GET", shared + "/.well-known/jwks.json", headers: [("Host", "Not_A--Tenant.localhost:\(host)")])
            #expect(bogus.status == 404, "\(bogus.text)")
        }

        @Test("suspension refuses the tenant's keys at once, resume restores them; wrong states are 409s")
        func suspendResume() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("pause"), on: platform)
            let other = try await TenantFixture.create(TenantFixture.uniqueID("bystander"), on: platform)
            // The key's verdict is cached by the gateway: suspension must not wait for it to expire.
            #expect(try await tenant.post(["tag": "before", "data": 1]).status == 201)

            let suspended = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/suspend", headers: Self.admin(platform))
            #expect(suspended.status == 200, "\(suspended.text)")
            #expect(
                suspended.object["status"] as? String == "succeeded" && suspended.object["kind"] as? String == "suspend"
            )
            let refused = try await tenant.post(["tag": "during", "data": 1])
            #expect(refused.status == 403 && refused.text.contains("suspended"), "\(refused.text)")
            let read = try await HTTP.request(
                "GET", tenant.gatewayURL + "/api/v1/ledger/checkpoint", headers: [("X-API-Key", tenant.apiKey)])
            #expect(read.status == 403, "reads are refused too: \(read.text)")
            #expect(try await other.post(["tag": "unaffected", "data": 1]).status == 201)
            let shown = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/tenants/\(tenant.id)", headers: Self.admin(platform))
            #expect(shown.object["status"] as? String == "suspended")

            let again = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/suspend", headers: Self.admin(platform))
            #expect(again.status == 409 && again.text.contains("active"), "\(again.text)")

            let resumed = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/resume", headers: Self.admin(platform))
            #expect(resumed.status == 200 && resumed.object["status"] as? String == "succeeded", "\(resumed.text)")
            let after = try await tenant.post(["tag": "after", "data": 1])
            #expect(after.status == 201, "\(after.text)")
            let resumeActive = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/resume", headers: Self.admin(platform))
            #expect(resumeActive.status == 409, "\(resumeActive.text)")

            let missing = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/nobody-here/suspend", headers: Self.admin(platform))
            #expect(missing.status == 404)
            let noToken = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/suspend")
            #expect(noToken.status == 401)

            let operations = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/operations?tenant=\(tenant.id)", headers: Self.admin(platform))
            let kinds = (operations.object["operations"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
            #expect(kinds == ["resume", "suspend", "create"], "\(operations.text)")
        }

        @Test("retries under one Idempotency-Key get the first call's operation; another request under it is a 422")
        func idempotency() async throws {
            let platform = try SharedPlatform.platform()
            let id = TenantFixture.uniqueID("retry")
            var headers = Self.admin(platform)
            headers.append(("Idempotency-Key", "create-\(id)"))
            let first = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants", headers: headers, body: HTTP.json(["id": id]))
            #expect(first.status == 201, "\(first.text)")
            let secret = try #require((first.object["apiKey"] as? [String: Any])?["secret"] as? String)
            platform.note(secret: secret)
            let operation = try #require((first.object["operation"] as? [String: Any])?["id"] as? String)

            // The first answer counts as lost: the retry re-issues the never-used first key, and the lost secret dies.
            let retry = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants", headers: headers, body: HTTP.json(["id": id]))
            #expect(retry.status == 201, "a retry is not a conflict: \(retry.text)")
            #expect((retry.object["operation"] as? [String: Any])?["id"] as? String == operation)
            #expect(!retry.text.contains(secret), "the secret is shown once")
            let reissued = try #require(retry.object["apiKey"] as? [String: Any], "\(retry.text)")
            let newSecret = try #require(reissued["secret"] as? String)
            platform.note(secret: newSecret)
            let firstKeyID = ((first.object["apiKey"] as? [String: Any])?["key"] as? [String: Any])?["id"] as? String
            #expect((reissued["key"] as? [String: Any])?["name"] as? String == "initial")
            #expect((reissued["key"] as? [String: Any])?["id"] as? String != firstKeyID)
            let gateway = try #require((first.object["tenant"] as? [String: Any])?["gatewayUrl"] as? String)
            let read = gateway + "/api/v1/ledger"
            #expect(try await HTTP.request("GET", read, headers: [("X-API-Key", secret)]).status == 401)
            let used = try await HTTP.request("GET", read, headers: [("X-API-Key", newSecret)])
            #expect(used.status == 200, "\(used.text)")
            // Once used, the key is the tenant's: a later retry answers without one and changes nothing.
            let late = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants", headers: headers, body: HTTP.json(["id": id]))
            #expect(late.status == 201 && late.object["apiKey"] == nil, "\(late.text)")
            #expect(try await HTTP.request("GET", read, headers: [("X-API-Key", newSecret)]).status == 200)
            let audit = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/audit-events?limit=500", headers: Self.admin(platform))
            #expect(audit.text.contains("tenant.key.reissued"), "\(audit.text)")

            let reused = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants", headers: headers,
                body: HTTP.json(["id": id, "name": "Something else"]))
            #expect(reused.status == 422 && reused.text.contains("Idempotency-Key"), "\(reused.text)")
            let plain = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants", headers: Self.admin(platform),
                body: HTTP.json(["id": id]))
            #expect(plain.status == 409, "without the key it is a second creation: \(plain.text)")

            var suspendHeaders = Self.admin(platform)
            suspendHeaders.append(("Idempotency-Key", "suspend-\(id)"))
            let suspend = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(id)/suspend", headers: suspendHeaders)
            let suspendAgain = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(id)/suspend", headers: suspendHeaders)
            #expect(suspend.status == 200 && suspendAgain.status == 200, "\(suspendAgain.text)")
            #expect(suspend.object["id"] as? String == suspendAgain.object["id"] as? String)
            let crossKind = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(id)/resume", headers: suspendHeaders)
            #expect(crossKind.status == 422, "\(crossKind.text)")
            let badKey = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(id)/resume",
                headers: Self.admin(platform) + [("Idempotency-Key", "")])
            #expect(badKey.status == 400, "\(badKey.text)")
        }

        @Test("Prefer: respond-async answers 202 with the running operation, which custosctl operations wait follows")
        func asynchronous() async throws {
            let platform = try SharedPlatform.platform()
            let id = TenantFixture.uniqueID("later")
            let started = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants",
                headers: Self.admin(platform) + [("Prefer", "respond-async")], body: HTTP.json(["id": id]))
            #expect(started.status == 202, "\(started.text)")
            if let secret = (started.object["apiKey"] as? [String: Any])?["secret"] as? String {
                platform.note(secret: secret)
            }
            let operation = try #require((started.object["operation"] as? [String: Any])?["id"] as? String)
            let waited = try PlatformProcess.custosctl(
                ["operations", "wait", operation, "--json", "--data-dir", platform.dataDirectory.path])
            #expect(waited.status == 0, "\(waited.output)")
            #expect(waited.output.contains("\"succeeded\""), "\(waited.output)")
            let shown = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/tenants/\(id)", headers: Self.admin(platform))
            #expect(shown.object["status"] as? String == "active", "\(shown.text)")
        }

        @Test("set-plan moves a tenant to a gateway of its own and back, its key working throughout")
        func planChange() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("mover"), on: platform)
            let pooledURL = tenant.gatewayURL
            let moved = try PlatformProcess.custosctl(
                ["tenants", "set-plan", tenant.id, "dedicated", "--wait", "--data-dir", platform.dataDirectory.path])
            #expect(moved.status == 0 && moved.output.contains("succeeded"), "\(moved.output)")
            let shown = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/tenants/\(tenant.id)", headers: Self.admin(platform))
            #expect(
                shown.object["plan"] as? String == "dedicated" && shown.object["isolation"] as? String == "dedicated")
            let dedicatedURL = try #require(shown.object["gatewayUrl"] as? String)
            #expect(dedicatedURL != pooledURL && dedicatedURL.hasPrefix("http://127.0.0.1:"), "\(dedicatedURL)")
            for url in [dedicatedURL, pooledURL] {
                let written = try await HTTP.request(
                    "POST", url + "/api/v1/ledger/messages", headers: [("X-API-Key", tenant.apiKey)],
                    body: HTTP.json(["tag": "moved", "data": url]))
                #expect(written.status == 201, "\(url): \(written.text)")
            }
            let back = try PlatformProcess.custosctl(
                ["tenants", "set-plan", tenant.id, "standard", "--json", "--data-dir", platform.dataDirectory.path])
            #expect(back.status == 0, "\(back.output)")
            let again = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/tenants/\(tenant.id)", headers: Self.admin(platform))
            #expect(again.object["gatewayUrl"] as? String == pooledURL, "\(again.text)")
            let unknown = try await HTTP.request(
                "PUT", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/plan", headers: Self.admin(platform),
                body: HTTP.json(["plan": "platinum"]))
            #expect(unknown.status == 400 && unknown.text.contains("free"), "\(unknown.text)")
            let plans = try PlatformProcess.custosctl(["plans", "--data-dir", platform.dataDirectory.path])
            #expect(plans.status == 0 && plans.output.contains("dedicated\tdedicated"), "\(plans.output)")
            let yaml = try PlatformProcess.custosctl(["plans", "-o", "yaml", "--data-dir", platform.dataDirectory.path])
            #expect(yaml.status == 0 && yaml.output.contains("isolation: pooled"), "\(yaml.output)")
            #expect(yaml.output.contains("default: true"), "the standard plan is the default: \(yaml.output)")
            #expect(
                yaml.output.contains("apiKeys: 1000") && yaml.output.contains("entriesPerDay: 10000")
                    && !yaml.output.contains("e+"), "numbers as the JSON has them: \(yaml.output)")
        }
    }
}

extension Platforms {
    /// A control plane killed half-way through an operation: its successor resumes it from the step it was at.
    @Suite("Operations across a control-plane crash")
    struct OperationCrashTests {
        @Test(
            "kill -9 of the control plane while provisioning waits for a stopped ledger worker; the restarted one finishes it"
        )
        func resumedAfterKill() async throws {
            let platform = try await PlatformProcess.start()
            defer { platform.process.terminate() }
            let ledger = try #require(platform.childPIDs(matching: "worker ledger").first)
            // The provisioning operation cannot get past its first step while the ledger worker is stopped.
            kill(ledger, SIGSTOP)
            let id = "resumed"
            let started = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants",
                headers: Shared.TenantLifecycleTests.admin(platform) + [("Prefer", "respond-async")],
                body: HTTP.json(["id": id]))
            #expect(started.status == 202, "\(started.text)")
            let key = try #require((started.object["apiKey"] as? [String: Any])?["secret"] as? String)
            platform.note(secret: key)
            let operation = try #require((started.object["operation"] as? [String: Any])?["id"] as? String)
            try await Task.sleep(for: .milliseconds(300))
            let control = try #require(platform.childPIDs(matching: "custos control ").first)
            kill(control, SIGKILL)
            kill(ledger, SIGCONT)

            var finished: [String: Any] = [:]
            let deadline = ContinuousClock.now + .seconds(60)
            while ContinuousClock.now < deadline {
                if let answer = try? await HTTP.request(
                    "GET", platform.controlURL + "/admin/v1/operations/\(operation)",
                    headers: Shared.TenantLifecycleTests.admin(platform)),
                    answer.status == 200, answer.object["status"] as? String != "running"
                {
                    finished = answer.object
                    break
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(finished["status"] as? String == "succeeded", "\(finished)")
            #expect(platform.childPIDs(matching: "custos control ").first != control, "the control plane was restarted")
            let tenant = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/tenants/\(id)",
                headers: Shared.TenantLifecycleTests.admin(platform))
            #expect(tenant.object["status"] as? String == "active", "\(tenant.text)")
            let gateway = try #require(tenant.object["gatewayUrl"] as? String)
            let written = try await HTTP.request(
                "POST", gateway + "/api/v1/ledger/messages", headers: [("X-API-Key", key)],
                body: HTTP.json(["tag": "after-crash", "data": 1]))
            #expect(written.status == 201, "the key stored with the operation works: \(written.text)")
            #expect(platform.log.contains("resuming operation"))

            // The audit of a control plane killed mid-way still verifies: the operation's start and end are in it,
            // and whatever was attached twice repeats its index and content.
            var pending = -1
            for _ in 0..<100 where pending != 0 {
                let audit = try await HTTP.request(
                    "GET", platform.controlURL + "/admin/v1/audit", headers: Shared.TenantLifecycleTests.admin(platform)
                )
                pending = audit.object["pending"] as? Int ?? -1
                if pending != 0 { try await Task.sleep(for: .milliseconds(100)) }
            }
            let dataDir = ["--data-dir", platform.dataDirectory.path]
            let verified = try PlatformProcess.custosctl(
                ["audit", "verify", "--state-dir", platform.baseDirectory.appendingPathComponent("audit").path]
                    + dataDir)
            #expect(verified.status == 0 && verified.output.contains("VALID"), "\(verified.output)")
            let listed = try PlatformProcess.custosctl(["audit", "list", "-o", "json"] + dataDir)
            #expect(
                listed.output.contains("tenant.create.started") && listed.output.contains("tenant.create.succeeded")
                    && listed.output.contains(operation), "\(listed.output)")
        }
    }
}

extension Platforms.Shared.TenantLifecycleTests {
    @Test("a tenant administrator manages its keys: scopes, expiry, rotation with an overlap, last use, revocation")
    func keys() async throws {
        let platform = try SharedPlatform.platform()
        let tenant = try await TenantFixture.create(TenantFixture.uniqueID("keys"), on: platform)
        let admin = [("X-API-Key", tenant.apiKey), ("Content-Type", "application/json")]
        let created = try await HTTP.request(
            "POST", tenant.gatewayURL + "/api/v1/keys", headers: admin,
            body: HTTP.json(["name": "reader", "scopes": ["read"], "expiresAt": "2030-01-01T00:00:00Z"]))
        #expect(created.status == 201, "\(created.text)")
        let reader = try #require(created.object["secret"] as? String)
        platform.note(secret: reader)
        let readerKey = try #require(created.object["key"] as? [String: Any])
        let readerID = try #require(readerKey["id"] as? String)
        #expect(
            readerKey["scopes"] as? [String] == [
                "channels:read", "credentials:read", "identities:read", "ledger:read",
            ],
            "read stands for every read scope: \(created.text)")
        let readerHeaders = [("X-API-Key", reader), ("Content-Type", "application/json")]
        #expect(try await tenant.post(["tag": "k", "data": 1], key: reader).status == 403, "a reader cannot write")
        #expect(
            try await HTTP.request("GET", tenant.gatewayURL + "/api/v1/ledger", headers: readerHeaders).status == 200)
        let escalate = try await HTTP.request(
            "POST", tenant.gatewayURL + "/api/v1/keys", headers: readerHeaders, body: HTTP.json(["name": "x"]))
        #expect(escalate.status == 403, "only tenant-admin keys make keys: \(escalate.text)")
        let badScope = try await HTTP.request(
            "POST", tenant.gatewayURL + "/api/v1/keys", headers: admin, body: HTTP.json(["scopes": ["root"]]))
        #expect(badScope.status == 400, "\(badScope.text)")
        let past = try await HTTP.request(
            "POST", tenant.gatewayURL + "/api/v1/keys", headers: admin,
            body: HTTP.json(["expiresAt": "2001-01-01T00:00:00Z"]))
        #expect(past.status == 400, "\(past.text)")

        // Rotation: the new key works at once, the old one until the overlap ends.
        let rotated = try await HTTP.request(
            "POST", tenant.gatewayURL + "/api/v1/keys/\(readerID)/rotate", headers: admin,
            body: HTTP.json(["overlapSeconds": 2]))
        #expect(rotated.status == 201, "\(rotated.text)")
        let next = try #require(rotated.object["secret"] as? String)
        platform.note(secret: next)
        #expect((rotated.object["key"] as? [String: Any])?["name"] as? String == "reader")
        #expect((rotated.object["previous"] as? [String: Any])?["expiresAt"] != nil)
        let twice = try await HTTP.request(
            "POST", tenant.gatewayURL + "/api/v1/keys/\(readerID)/rotate", headers: admin, body: HTTP.json([:]))
        #expect(twice.status == 404 && twice.text.contains("rotated already"), "rotate the successor: \(twice.text)")
        let nextHeaders = [("X-API-Key", next)]
        #expect(try await HTTP.request("GET", tenant.gatewayURL + "/api/v1/ledger", headers: nextHeaders).status == 200)
        #expect(
            try await HTTP.request("GET", tenant.gatewayURL + "/api/v1/ledger", headers: readerHeaders).status == 200)
        // The overlap (2 s) and the gateways' verdict cache (5 s) pass.
        var refused = false
        for _ in 0..<40 where !refused {
            try await Task.sleep(for: .milliseconds(250))
            refused =
                try await HTTP.request("GET", tenant.gatewayURL + "/api/v1/ledger", headers: readerHeaders).status
                == 401
        }
        #expect(refused, "the old key stops after the overlap")
        #expect(try await HTTP.request("GET", tenant.gatewayURL + "/api/v1/ledger", headers: nextHeaders).status == 200)

        let listed = try await HTTP.request("GET", tenant.gatewayURL + "/api/v1/keys", headers: admin)
        let keys = try #require(listed.object["keys"] as? [[String: Any]], "\(listed.text)")
        #expect(keys.count == 3 && !listed.text.contains("cst_"), "no secret is ever listed")
        #expect(keys.contains { $0["lastUsedAt"] != nil }, "a used key shows when")
        let newID = try #require((rotated.object["key"] as? [String: Any])?["id"] as? String)
        let revoked = try await HTTP.request(
            "DELETE", tenant.gatewayURL + "/api/v1/keys/\(newID)", headers: [("X-API-Key", tenant.apiKey)])
        #expect(revoked.status == 204, "\(revoked.text)")
        let unknown = try await HTTP.request(
            "DELETE", tenant.gatewayURL + "/api/v1/keys/key_0000000000000000", headers: [("X-API-Key", tenant.apiKey)])
        #expect(unknown.status == 404)
        let cli = try PlatformProcess.custosctl(
            [
                "keys", "rotate", tenant.id, keys[keys.count - 1]["id"] as? String ?? "", "--overlap", "60", "--json",
                "--data-dir", platform.dataDirectory.path,
            ])
        #expect(cli.status == 0 && cli.output.contains("\"previous\""), "\(cli.output)")
        if let secret = try? JSONSerialization.jsonObject(with: Data(cli.output.utf8)) as? [String: Any],
            let value = secret["secret"] as? String
        {
            platform.note(secret: value)
        }
    }
}

extension Platforms.Shared.TenantLifecycleTests {
    @Test("a verify key gets the ledger's key, checkpoints and receipts, and neither lists, reads nor writes entries")
    func verifyScope() async throws {
        let platform = try SharedPlatform.platform()
        let tenant = try await TenantFixture.create(TenantFixture.uniqueID("verifier"), on: platform)
        let written = try await tenant.post(["tag": "v", "data": 1])
        let id = try #require(written.object["messageId"] as? String, "\(written.text)")
        let created = try await HTTP.request(
            "POST", tenant.gatewayURL + "/api/v1/keys", headers: [("X-API-Key", tenant.apiKey)],
            body: HTTP.json(["name": "auditor", "scopes": ["verify"]]))
        let secret = try #require(created.object["secret"] as? String, "\(created.text)")
        platform.note(secret: secret)
        #expect((created.object["key"] as? [String: Any])?["scopes"] as? [String] == ["verify"])
        let headers = [("X-API-Key", secret)]
        // The receipt exists once a milestone confirmed the entry (409 until then).
        var receipt = 0
        for _ in 0..<100 where receipt != 200 {
            receipt = try await HTTP.request(
                "GET", tenant.gatewayURL + "/api/v1/ledger/messages/\(id)/receipt", headers: headers
            ).status
            if receipt != 200 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(receipt == 200)
        for path in ["/api/v1/ledger", "/api/v1/ledger/checkpoint"] {
            let answer = try await HTTP.request("GET", tenant.gatewayURL + path, headers: headers)
            #expect(answer.status == 200, "\(path): \(answer.text)")
        }
        for path in ["/api/v1/ledger/messages?tag=v", "/api/v1/ledger/messages/\(id)"] {
            let answer = try await HTTP.request("GET", tenant.gatewayURL + path, headers: headers)
            #expect(answer.status == 403 && answer.text.contains("key-scopes/ledger:read"), "\(path): \(answer.text)")
        }
        let write = try await tenant.post(["tag": "v", "data": 2], key: secret)
        #expect(write.status == 403, "\(write.text)")
    }
}
