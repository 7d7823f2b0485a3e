import Foundation
import Testing

extension Platforms.Shared {
    /// A tenant's own policies: validated by the control plane, applied by the tenant's gateway within seconds,
    /// only narrowing, and recorded as audit events; through the admin API and `custosctl policies`.
    @Suite("Tenant policies end to end")
    struct TenantPolicyFlowTests {
        @Test("a read-only key by policy: writes refused with the policy's id, reads allowed, bad policies refused")
        func readOnlyKey() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("policy"), on: platform)
            let admin = [("Authorization", "Bearer \(platform.adminToken)"), ("Content-Type", "application/json")]
            let created = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/keys", headers: admin,
                body: HTTP.json(["name": "auditor"]))
            let reader = try #require(created.object["secret"] as? String, "\(created.text)")
            let readerID = try #require((created.object["key"] as? [String: Any])?["id"] as? String)
            platform.note(secret: reader)
            let written = try await tenant.post(["tag": "t", "data": 1], key: reader)
            #expect(written.status == 201, "before the policy the key writes")

            let policiesURL = platform.controlURL + "/admin/v1/tenants/\(tenant.id)/policies"
            func put(_ text: String) async throws -> HTTP.Response {
                try await HTTP.request("PUT", policiesURL, headers: admin, body: HTTP.json(["text": text]))
            }
            // Refused with a reason, and nothing stored: a permit, a foreign id, an unknown action, bad syntax.
            let refusals: [(String, String)] = [
                (#"@id("\#(tenant.id)/p") permit (principal, action, resource);"#, "can only narrow"),
                (#"@id("other/p") forbid (principal, action, resource);"#, "must start with"),
                (#"@id("\#(tenant.id)/p") forbid (principal, action == Action::"nope", resource);"#, "nope"),
                (#"@id("\#(tenant.id)/p") forbid (principal, action, resource"#, "syntax"),
            ]
            for (text, reason) in refusals {
                let response = try await put(text)
                #expect(response.status == 400 && response.text.contains(reason), "\(text): \(response.text)")
            }
            let empty = try await HTTP.request("GET", policiesURL, headers: admin)
            #expect(empty.status == 200 && (empty.object["policyIds"] as? [String])?.isEmpty == true)

            let readOnly = """
                // The auditor's key may read but never write.
                @id("\(tenant.id)/auditor-read-only")
                forbid (principal == ApiKey::"\(readerID)", action in Action::"ledger:write", resource);
                """
            let stored = try await put(readOnly)
            #expect(stored.status == 200, "\(stored.text)")
            #expect(stored.object["policyIds"] as? [String] == ["\(tenant.id)/auditor-read-only"])

            // The gateway applies it within its 5 s refresh.
            var attempt = try await tenant.post(["tag": "t", "data": 2], key: reader)
            let deadline = ContinuousClock.now + .seconds(15)
            while attempt.status == 201 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(250))
                attempt = try await tenant.post(["tag": "t", "data": 2], key: reader)
            }
            let refused = attempt
            #expect(refused.status == 403, "\(refused.text)")
            #expect(refused.text.contains("\(tenant.id)/auditor-read-only"), "\(refused.text)")
            let id = try #require(written.object["messageId"] as? String)
            #expect(try await tenant.get(id, key: reader).status == 200, "reads stay allowed")
            #expect(try await tenant.post(["tag": "t", "data": 3]).status == 201, "other keys still write")

            // Every change is an audit event naming the administrator credential and the policies.
            let events = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/audit-events?limit=1000", headers: admin)
            let mine = (events.object["events"] as? [[String: Any]] ?? []).filter {
                $0["tenant"] as? String == tenant.id && $0["event"] as? String == "tenant.policies.replaced"
            }
            #expect(mine.count == 1, "\(events.text)")
            #expect((mine.first?["detail"] as? String)?.contains("auditor-read-only") == true)
            #expect((mine.first?["actor"] as? String)?.isEmpty == false)
        }

        @Test("a tenant administrator's key manages the tenant's policies through the tenant API, audited")
        func ownPoliciesThroughTheTenantAPI() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ownpol"), on: platform)
            let url = tenant.gatewayURL + "/api/v1/policies"
            let key = [("X-API-Key", tenant.apiKey), ("Content-Type", "application/json")]
            let text = """
                @id("\(tenant.id)/no-deletes")
                forbid (principal, action == Action::"deleteIdentity", resource);
                """
            let stored = try await HTTP.request("PUT", url, headers: key, body: HTTP.json(["text": text]))
            #expect(stored.status == 200, "\(stored.text)")
            #expect(stored.object["policyIds"] as? [String] == ["\(tenant.id)/no-deletes"])
            let read = try await HTTP.request("GET", url, headers: key)
            #expect(read.status == 200 && (read.object["text"] as? String) == text, "\(read.text)")
            let refused = try await HTTP.request(
                "PUT", url, headers: key,
                body: HTTP.json(["text": "@id(\"other/x\") forbid (principal, action, resource);"]))
            #expect(refused.status == 400 && refused.text.contains("must start with"), "\(refused.text)")

            // Only with the tenant-admin scope.
            let admin = [("Authorization", "Bearer \(platform.adminToken)"), ("Content-Type", "application/json")]
            let created = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/keys", headers: admin,
                body: HTTP.json(["name": "writer", "scopes": ["ledger:read", "ledger:write"]]))
            let writer = try #require(created.object["secret"] as? String, "\(created.text)")
            platform.note(secret: writer)
            let scoped = try await HTTP.request("GET", url, headers: [("X-API-Key", writer)])
            #expect(scoped.status == 403 && scoped.text.contains("key-scopes/tenant-admin"), "\(scoped.text)")

            // The change is audited with the key's id, not an administrator's.
            let events = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/audit-events?limit=1000", headers: admin)
            let mine = (events.object["events"] as? [[String: Any]] ?? []).filter {
                $0["tenant"] as? String == tenant.id && $0["event"] as? String == "tenant.policies.replaced"
            }
            #expect(mine.count == 1 && (mine.first?["actor"] as? String)?.hasSuffix("(tenant API)") == true, "\(mine)")
        }

        @Test("a key bound to one tag by policy: the request's tag is in the context")
        func tagBoundKey() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("tagged"), on: platform)
            let admin = [("Authorization", "Bearer \(platform.adminToken)"), ("Content-Type", "application/json")]
            let created = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/keys", headers: admin,
                body: HTTP.json(["name": "orders"]))
            let orders = try #require(created.object["secret"] as? String, "\(created.text)")
            let ordersID = try #require((created.object["key"] as? [String: Any])?["id"] as? String)
            platform.note(secret: orders)
            let policy = """
                @id("\(tenant.id)/orders-only")
                forbid (principal == ApiKey::"\(ordersID)", action == Action::"createLedgerMessage", resource)
                unless { context.tag == "orders" };
                """
            let stored = try await HTTP.request(
                "PUT", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/policies", headers: admin,
                body: HTTP.json(["text": policy]))
            #expect(stored.status == 200, "\(stored.text)")
            var refused = try await tenant.post(["tag": "invoices", "data": 1], key: orders)
            let deadline = ContinuousClock.now + .seconds(15)
            while refused.status == 201 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(250))
                refused = try await tenant.post(["tag": "invoices", "data": 1], key: orders)
            }
            #expect(refused.status == 403 && refused.text.contains("orders-only"), "\(refused.text)")
            #expect(try await tenant.post(["tag": "orders", "data": 1], key: orders).status == 201)
            #expect(try await tenant.post(["tag": "invoices", "data": 1]).status == 201, "other keys are not bound")
            let malformed = try await HTTP.request(
                "POST", tenant.gatewayURL + "/api/v1/ledger/messages",
                headers: [("X-API-Key", orders), ("Content-Type", "application/json")], body: Array("{".utf8))
            #expect(malformed.status == 400, "a bad body is still a 400, not a policy refusal: \(malformed.text)")
        }

        @Test("a key created with scopes: the key-scope policies refuse what its scopes leave out")
        func scopedKey() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("scoped"), on: platform)
            let admin = [("Authorization", "Bearer \(platform.adminToken)"), ("Content-Type", "application/json")]
            let keysURL = platform.controlURL + "/admin/v1/tenants/\(tenant.id)/keys"
            let created = try await HTTP.request(
                "POST", keysURL, headers: admin, body: HTTP.json(["name": "reader", "scopes": ["ledger:read"]]))
            let reader = try #require(created.object["secret"] as? String, "\(created.text)")
            platform.note(secret: reader)
            #expect((created.object["key"] as? [String: Any])?["scopes"] as? [String] == ["ledger:read"])
            let refused = try await tenant.post(["tag": "t", "data": 1], key: reader)
            #expect(refused.status == 403 && refused.text.contains("key-scopes/ledger:write"), "\(refused.text)")
            let written = try await tenant.post(["tag": "t", "data": 1])
            let id = try #require(written.object["messageId"] as? String)
            #expect(try await tenant.get(id, key: reader).status == 200)
            for bad in [[String](), ["ledger:admin"]] {
                let response = try await HTTP.request(
                    "POST", keysURL, headers: admin, body: HTTP.json(["name": "x", "scopes": bad]))
                #expect(response.status == 400, "\(bad): \(response.text)")
            }
            let listed = try PlatformProcess.custosctl(
                ["keys", "list", tenant.id, "--data-dir", platform.dataDirectory.path])
            #expect(listed.output.contains("ledger:read") && listed.output.contains("all scopes"), "\(listed.output)")
        }

        @Test("custosctl policies: validate and test offline, apply and list through the control plane")
        func cli() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("policycli"), on: platform)
            let dataDir = ["--data-dir", platform.dataDirectory.path]
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let good = directory.appendingPathComponent("good.cedar")
            try """
            @id("\(tenant.id)/no-writes")
            forbid (principal, action == Action::"createLedgerMessage", resource);
            """.write(to: good, atomically: true, encoding: .utf8)
            let bad = directory.appendingPathComponent("bad.cedar")
            try #"@id("\#(tenant.id)/wide") permit (principal, action, resource);"#
                .write(to: bad, atomically: true, encoding: .utf8)

            let valid = try PlatformProcess.custosctl(["policies", "validate", tenant.id, good.path])
            #expect(valid.status == 0 && valid.output.contains("\(tenant.id)/no-writes"), "\(valid.output)")
            let invalid = try PlatformProcess.custosctl(["policies", "validate", tenant.id, bad.path])
            #expect(invalid.status != 0 && invalid.output.contains("can only narrow"), "\(invalid.output)")
            let rehearsal = try PlatformProcess.custosctl(["policies", "test", tenant.id, good.path])
            #expect(
                rehearsal.output.contains("createLedgerMessage\tdeny\t\(tenant.id)/no-writes"), "\(rehearsal.output)")
            #expect(rehearsal.output.contains("getLedger\tallow\tledger/api-key"), "\(rehearsal.output)")

            let applied = try PlatformProcess.custosctl(["policies", "apply", tenant.id, good.path] + dataDir)
            #expect(applied.status == 0 && applied.output.contains("1 tenant policies"), "\(applied.output)")
            let listed = try PlatformProcess.custosctl(["policies", "list", tenant.id] + dataDir)
            #expect(listed.output.contains("forbid (principal, action == Action::\"createLedgerMessage\""))
            let refused = try PlatformProcess.custosctl(["policies", "apply", tenant.id, bad.path] + dataDir)
            #expect(refused.status != 0, "\(refused.output)")
        }
    }
}
