import CustosLedger
import Foundation
import Testing

extension Platforms.Shared {
    /// Deleting a tenant through the real processes: its keys stop at once, its data and data keys are destroyed
    /// in every worker's schema, and receipts issued before still verify offline.
    @Suite("Tenant deletion")
    struct TenantDeletionTests {
        static func sql(_ platform: PlatformProcess, _ query: String) throws -> String {
            let socket = platform.dataDirectory.appendingPathComponent("postgres/socket").path
            let result = try PlatformProcess.run(
                "/usr/bin/psql",
                ["-qAtX", "-v", "ON_ERROR_STOP=1", "-h", socket, "-U", "custos", "-d", "custos", "-c", query])
            #expect(result.status == 0, "\(result.output)")
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @Test("delete shreds entries, identities, channels and data keys; earlier receipts still verify offline")
        func deleteShreds() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("gone"), on: platform)
            let ids = try await Platforms.LedgerProofTests.write(4, to: tenant, tag: "to-be-erased")
            let receipts = try await Platforms.LedgerProofTests.receipts(ids, tenant: tenant)
            let pinned = try await Platforms.LedgerProofTests.coordinatorKey(tenant)
            var owner = IdentityBridgeFlowTests.SDK(tenant: tenant)
            let identity = try await owner.create("Erased-" + UUID().uuidString.prefix(8))
            try await owner.authenticate(identity.did, seed: identity.seed)
            _ = try await ChannelAccessTests.channel(owner, ["type": "private"])
            let t = tenant.id
            let counts = """
                SELECT (SELECT count(*) FROM ledger.messages WHERE tenant_id = '\(t)' AND tag = convert_to('to-be-erased', 'UTF8')),
                       (SELECT count(*) FROM ssi.identities WHERE tenant_id = '\(t)'),
                       (SELECT count(*) FROM streams.channels WHERE tenant_id = '\(t)'),
                       (SELECT count(*) FROM keyring.data_keys WHERE tenant_id = '\(t)' AND sealed_key IS NOT NULL),
                       (SELECT count(*) FROM ledger.leaves WHERE tenant_id = '\(t)') > 0,
                       (SELECT count(*) FROM ledger.milestones WHERE tenant_id = '\(t)') > 0
                """
            #expect(
                try Self.sql(platform, counts) == "4|2|1|3|t|t", "before: entries, identities, channel, 3 data keys")

            let admin = [("Authorization", "Bearer \(platform.adminToken)")]
            let deleted = try await HTTP.request(
                "DELETE", platform.controlURL + "/admin/v1/tenants/\(t)", headers: admin)
            #expect(deleted.status == 200 && deleted.object["status"] as? String == "succeeded", "\(deleted.text)")

            let refused = try await tenant.get(ids[0])
            #expect(refused.status == 401, "the tenant's keys are revoked: \(refused.text)")
            #expect(
                try Self.sql(platform, counts) == "0|0|0|0|t|t",
                "after: no entry, identity, channel or live data key; the log's hashes and checkpoints stay")
            #expect(
                try Self.sql(
                    platform,
                    "SELECT count(*) FROM ledger.coordinator_keys WHERE tenant_id = '\(t)' AND length(sealed_seed) > 0")
                    == "0")
            for receipt in receipts.values {
                _ = try ReceiptVerifier.verify(receipt, trustedKey: pinned)
            }

            let shown = try await HTTP.request("GET", platform.controlURL + "/admin/v1/tenants/\(t)", headers: admin)
            #expect(shown.object["status"] as? String == "deleted", "\(shown.text)")
            let again = try await HTTP.request("DELETE", platform.controlURL + "/admin/v1/tenants/\(t)", headers: admin)
            #expect(again.status == 409, "\(again.text)")
            let reused = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants",
                headers: admin + [("Content-Type", "application/json")], body: HTTP.json(["id": t]))
            #expect(
                reused.status == 409 && reused.text.contains("deleted"), "ids are never given again: \(reused.text)")
            let cli = try PlatformProcess.custosctl(["tenants", "delete", t, "--data-dir", platform.dataDirectory.path])
            #expect(cli.status != 0 && cli.output.contains("--yes"), "\(cli.output)")
        }
    }
}
