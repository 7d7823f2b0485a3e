import CustosClients
import Foundation
import Testing

extension Platforms {
    /// A control plane that leaves the newest audit entries out of its listing, on a platform of its own (the
    /// test changes the audit ledger's rows, which other tests verify).
    @Suite("Platform audit: entries held back")
    struct PlatformAuditWithholdingTests {
        @Test("a listing that ends before the newest signed checkpoint fails verification, even on a first run")
        func heldBackEntriesFail() async throws {
            let platform = try await PlatformProcess.start()
            defer { platform.process.terminate() }
            let dataDir = ["--data-dir", platform.dataDirectory.path]
            let admin = [("Authorization", "Bearer \(platform.adminToken)"), ("Content-Type", "application/json")]
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("withheld"), on: platform)
            for action in ["suspend", "resume"] {
                let done = try await HTTP.request(
                    "POST", platform.controlURL + "/admin/v1/tenants/\(tenant.id)/\(action)", headers: admin)
                #expect(done.status == 200, "\(done.text)")
            }
            // Every event recorded and confirmed: the newest checkpoint covers them all.
            let client = ControlClient(baseURL: platform.controlURL, adminToken: platform.adminToken)
            let leaves = """
                SELECT count(*) FROM ledger.leaves l JOIN ledger.messages m USING (tenant_id, message_id)
                WHERE l.tenant_id = 'platform'
                """
            var confirmed = ""
            var recorded = ""
            for _ in 0..<100 {
                // A fresh platform answers 503 until its audit ledger exists.
                guard let audit = try? await client.platformAudit() else {
                    try await Task.sleep(for: .milliseconds(100))
                    continue
                }
                confirmed = try Shared.TenantDeletionTests.sql(platform, leaves)
                recorded = try Shared.TenantDeletionTests.sql(
                    platform,
                    "SELECT count(*) FROM ledger.messages WHERE tenant_id = 'platform' AND tag IS NOT NULL "
                        + "AND tag = convert_to('\(PlatformAuditRecord.tag)', 'UTF8')")
                if audit.pending == 0, confirmed == recorded, (Int(confirmed) ?? 0) >= 6 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(confirmed == recorded && (Int(confirmed) ?? 0) >= 6, "\(confirmed) of \(recorded)")
            let state = platform.baseDirectory.appendingPathComponent("audit-first").path
            let valid = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(valid.status == 0 && valid.output.contains("VALID"), "\(valid.output)")

            // The two newest entries drop out of the listing (which reads by tag), without a gap before them.
            _ = try Shared.TenantDeletionTests.sql(
                platform,
                """
                UPDATE ledger.messages SET tag = convert_to('hidden', 'UTF8')
                WHERE tenant_id = 'platform' AND message_id IN (
                  SELECT message_id FROM ledger.leaves WHERE tenant_id = 'platform' ORDER BY leaf_index DESC LIMIT 2)
                """)
            let fresh = platform.baseDirectory.appendingPathComponent("audit-fresh").path
            let short = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", fresh] + dataDir)
            #expect(
                short.status == 2 && short.output.contains("2 confirmed entries are held back"), "\(short.output)")
            #expect(try await platform.stop() == 0)
        }
    }
}
