import CustosClients
import CustosCore
import CustosCrypto
import CustosLedger
import Foundation
import Testing

extension Platforms.Shared {
    /// The platform's self-audit through the real processes: every control-plane mutation becomes an entry of the
    /// platform's own ledger, whose receipts `custosctl audit verify` checks offline, and which refuse tampering.
    @Suite("Platform audit")
    struct PlatformAuditTests {
        @Test("every mutation is an audit entry with a receipt; custosctl audit lists and verifies them")
        func mutationsAreAudited() async throws {
            let platform = try SharedPlatform.platform()
            let admin = [("Authorization", "Bearer \(platform.adminToken)"), ("Content-Type", "application/json")]
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("audited"), on: platform)
            for action in ["suspend", "resume"] {
                let done = try await HTTP.request(
                    "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/\(action)", headers: admin)
                #expect(done.status == 200, "\(done.text)")
            }
            let created = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/keys", headers: admin,
                body: HTTP.json(["name": "ci", "scopes": ["read"]]))
            let keyID = try #require((created.object["key"] as? [String: Any])?["id"] as? String, "\(created.text)")
            platform.note(secret: created.object["secret"] as? String ?? "")
            let own = try await HTTP.request(
                "POST", tenant.gatewayURL + "/api/v1/keys", headers: [("X-API-Key", tenant.apiKey)],
                body: HTTP.json(["name": "own"]))
            let ownID = try #require((own.object["key"] as? [String: Any])?["id"] as? String, "\(own.text)")
            platform.note(secret: own.object["secret"] as? String ?? "")
            let rotated = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/keys/\(keyID)/rotate", headers: admin,
                body: HTTP.json(["overlapSeconds": 0]))
            #expect(rotated.status == 201, "\(rotated.text)")
            platform.note(secret: rotated.object["secret"] as? String ?? "")
            let revoked = try await HTTP.request(
                "DELETE", tenant.gatewayURL + "/api/v1/keys/\(ownID)", headers: [("X-API-Key", tenant.apiKey)])
            #expect(revoked.status == 204, "\(revoked.text)")
            let reserved = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants", headers: admin, body: HTTP.json(["id": "platform"]))
            #expect(reserved.status == 409 && reserved.text.contains("reserved"), "\(reserved.text)")

            // Recorded in the ledger within moments of the mutations.
            let client = ControlClient(baseURL: platform.controlURL, adminToken: platform.adminToken)
            var audit = try await client.platformAudit()
            for _ in 0..<100 where audit.pending > 0 {
                try await Task.sleep(for: .milliseconds(100))
                audit = try await client.platformAudit()
            }
            #expect(audit.pending == 0 && audit.origin.hasSuffix("/platform"), "\(audit)")
            var entries: [ControlAPI.AuditEntry] = []
            var after: Int?
            repeat {
                let page = try await client.auditEntries(after: after, limit: 1000)
                entries += page.entries
                after = page.next
            } while after != nil
            let mine = entries.filter { $0.event.tenant == tenant.id }
            let events = mine.map(\.event.event)
            let expected = [
                "tenant.create.started", "tenant.create.succeeded", "tenant.suspend.started",
                "tenant.suspend.succeeded", "tenant.resume.started", "tenant.resume.succeeded", "tenant.key.created",
                "tenant.key.created", "tenant.key.rotated", "tenant.key.revoked",
            ]
            #expect(events == expected, "\(events)")
            let operations = Set(mine.compactMap(\.event.operation))
            #expect(operations.count == 3 && operations.allSatisfy { $0.hasPrefix("op_") }, "\(operations)")
            let actors = mine.map(\.event.actor)
            #expect(actors.filter { $0.hasSuffix("(tenant API)") }.count == 2, "\(actors)")
            #expect(Set(actors.filter { !$0.hasSuffix("(tenant API)") }).count == 1, "one administrator: \(actors)")
            #expect(mine.contains { $0.event.detail.contains(keyID) && $0.event.event == "tenant.key.rotated" })
            let listed = try PlatformProcess.custosctl(["audit", "list", "--limit", "1000", "-o", "json"] + dataDir)
            #expect(listed.status == 0 && listed.output.contains(tenant.id), "\(listed.output)")
            #expect(!listed.output.contains("cst_"), "no secret is ever audited")

            // custosctl pins the key on first use, verifies every receipt, and refuses another key.
            let state = platform.baseDirectory.appendingPathComponent("audit-state-\(tenant.id)").path
            let first = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(
                first.status == 0 && first.output.contains("pinned") && first.output.contains("VALID"),
                "\(first.output)")
            let again = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(again.status == 0 && !again.output.contains("pinned"), "\(again.output)")
            // The newest entry verified is kept: a later audit that reaches less far, or differs there, fails.
            let top = try #require(
                try FileManager.default.contentsOfDirectory(atPath: state).first { $0.hasSuffix(".top") })
            let topFile = URL(fileURLWithPath: state).appendingPathComponent(top)
            let kept = try Data(contentsOf: topFile)
            func rewrite(_ change: (inout [String: Any]) -> Void) throws {
                let parsed = try JSONSerialization.jsonObject(with: kept)
                var json = parsed as? [String: Any] ?? [:]
                change(&json)
                try JSONSerialization.data(withJSONObject: json).write(to: topFile)
            }
            func refused(_ expected: String, _ what: String) throws {
                let run = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
                #expect(run.status == 2 && run.output.contains(expected), "\(what): \(run.output)")
            }
            try rewrite { $0["index"] = 99_999_999 }
            try refused("entries were removed", "a shorter audit")
            try rewrite { $0["messageId"] = String(repeating: "0", count: 64) }
            try refused("verified before", "another entry at the kept index")
            try rewrite { $0["leafIndex"] = ($0["leafIndex"] as? Int ?? 0) + 1 }
            try refused("verified before", "the kept entry at another leaf")
            try rewrite { json in
                // The same size with another root: a rewritten history, which no signature can make consistent.
                var lines = (json["checkpoint"] as? String ?? "").split(separator: "\n").map(String.init)
                lines[2] = Base64.encode([UInt8](repeating: 7, count: 32))
                json["checkpoint"] = lines.joined(separator: "\n") + "\n"
            }
            try refused("does not extend its checkpoint", "a split view")
            try kept.write(to: topFile)
            let restored = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(restored.status == 0, "\(restored.output)")

            let tenantKey = try await HTTP.request(
                "GET", tenant.gatewayURL + "/api/v1/ledger", headers: [("X-API-Key", tenant.apiKey)])
            let otherKey = try #require(tenantKey.object["coordinatorKey"] as? String, "\(tenantKey.text)")
            let wrong = try PlatformProcess.custosctl(["audit", "verify", "--key", otherKey] + dataDir)
            #expect(wrong.status == 2 && wrong.output.contains("REJECTED"), "\(wrong.output)")
            let pin = try #require(
                try FileManager.default.contentsOfDirectory(atPath: state).first { $0.hasSuffix(".key") })
            try Data((otherKey + "\n").utf8).write(to: URL(fileURLWithPath: state).appendingPathComponent(pin))
            let swapped = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(swapped.status == 2 && swapped.output.contains("KEY DIFFERS"), "\(swapped.output)")

            try await Self.tamperingIsRejected(try #require(mine.first), audit: audit, client: client)
        }

        var dataDir: [String] { (try? ["--data-dir", SharedPlatform.platform().dataDirectory.path]) ?? [] }

        /// One real entry and its receipt pass the offline check; any change to the listing, the receipt or the
        /// key fails it.
        static func tamperingIsRejected(
            _ entry: ControlAPI.AuditEntry, audit: ControlAPI.PlatformAudit, client: ControlClient
        ) async throws {
            let receipt = try await client.auditReceipt(messageID: entry.messageId)
            let key = try NoteVerifierKey(parsing: audit.coordinatorKey)
            let record = try PlatformAuditCheck.verify(
                entry, receipt: receipt, trustedKey: key, origin: audit.origin
            ).record
            #expect(record.event == entry.event.event && record.tenant == entry.event.tenant)

            var relabelled = entry
            relabelled.event.actor = "someone else"
            #expect(throws: PlatformAuditError.self) {
                try PlatformAuditCheck.verify(relabelled, receipt: receipt, trustedKey: key, origin: audit.origin)
            }
            var rewritten = entry
            var record2 = record
            record2.detail += " (edited)"
            rewritten.data = Base64.encode(try record2.data())
            rewritten.event.detail = record2.detail
            #expect(throws: PlatformAuditError.self) {
                try PlatformAuditCheck.verify(rewritten, receipt: receipt, trustedKey: key, origin: audit.origin)
            }
            // The receipt's message bytes, edited where the record's detail is.
            var json = try #require(try JSONSerialization.jsonObject(with: Data(receipt)) as? [String: Any])
            var message = try Base64.decode(try #require(json["message"] as? String))
            message[message.count - 3] ^= 0x01
            json["message"] = Base64.encode(message)
            let forged = try JSONSerialization.data(withJSONObject: json)
            #expect(throws: PlatformAuditError.self) {
                try PlatformAuditCheck.verify(entry, receipt: Array(forged), trustedKey: key, origin: audit.origin)
            }
            #expect(throws: PlatformAuditError.self) {
                try PlatformAuditCheck.verify(entry, receipt: receipt, trustedKey: key, origin: "elsewhere/platform")
            }
            let stranger = try NoteSigner(name: audit.origin, privateKey: Ed25519.PrivateKey()).verifierKey
            #expect(throws: PlatformAuditError.self) {
                try PlatformAuditCheck.verify(entry, receipt: receipt, trustedKey: stranger, origin: audit.origin)
            }
        }
    }
}
