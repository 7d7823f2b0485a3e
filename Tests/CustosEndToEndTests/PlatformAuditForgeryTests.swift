import CustosClients
import CustosCore
import CustosLedger
import Foundation
import Testing

extension Platforms {
    /// Whoever holds the internal service token can append to the platform's audit ledger through the ledger
    /// worker, but cannot sign a record with the control plane's key; on a platform of its own, as the forged
    /// entries stay in its audit ledger.
    @Suite("Platform audit: forged entries")
    struct PlatformAuditForgeryTests {
        @Test("entries appended with the service token, unsigned or signed by another key, fail verification")
        func forgedEntriesFail() async throws {
            let platform = try await PlatformProcess.start()
            defer { platform.process.terminate() }
            let dataDir = ["--data-dir", platform.dataDirectory.path]
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("forged"), on: platform)
            let entries = try await Self.recordedEntries(platform, atLeast: 2)
            let key = try PlatformAuditSigningKey(
                encoded: String(
                    contentsOf: platform.dataDirectory.appendingPathComponent("audit-signing.key"), encoding: .utf8))
            let records = try entries.map { try PlatformAuditRecord(data: try Base64.decode($0.data)) }
            #expect(!records.isEmpty && records.allSatisfy { $0.signer == key.signer }, "\(records)")

            let state = platform.baseDirectory.appendingPathComponent("audit-forged").path
            let valid = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(
                valid.status == 0 && valid.output.contains("pinned the control plane's audit signing key \(key.signer)")
                    && valid.output.contains("signed by the control plane's key"), "\(valid.output)")

            // The exact next indexes, as a forger reading the listing would write them.
            let top = records.map(\.index).max() ?? 0
            let forged = PlatformAuditRecord(
                index: top + 1, sequence: 999_999, at: "2026-12-06T00:00:00.000Z", actor: "adm_forger",
                event: "tenant.suspend.succeeded", tenant: tenant.id, operation: nil, detail: "")
            var impostor = forged
            impostor.index = top + 2
            try await Self.append([forged, try impostor.signed(by: PlatformAuditSigningKey())], to: platform)
            let refused = try PlatformProcess.custosctl(["audit", "verify", "--state-dir", state] + dataDir)
            #expect(refused.status == 2, "\(refused.output)")
            #expect(
                refused.output.contains("entry \(top + 1) is not signed, after entries the control plane signed"),
                "\(refused.output)")
            #expect(
                refused.output.contains("entry \(top + 2) is signed by")
                    && refused.output.contains("not by \(key.signer)"),
                "\(refused.output)")
            // A verifier that never ran before, given the key out of band, refuses them too.
            let fresh = platform.baseDirectory.appendingPathComponent("audit-fresh").path
            let given = try PlatformProcess.custosctl(
                ["audit", "verify", "--state-dir", fresh, "--control-key", key.signer] + dataDir)
            #expect(given.status == 2 && given.output.contains("is not signed"), "\(given.output)")
            let wrongKey = try PlatformProcess.custosctl(
                ["audit", "verify", "--state-dir", state, "--control-key", PlatformAuditSigningKey().signer] + dataDir)
            #expect(
                wrongKey.status == 2 && wrongKey.output.contains("not by the trusted key"), "\(wrongKey.output)")
        }

        /// Appends records to the platform's audit ledger as a holder of the service token can: straight to the
        /// ledger worker, whose address the platform's log names.
        static func append(_ records: [PlatformAuditRecord], to platform: PlatformProcess) async throws {
            let ledgerURL = try #require(
                platform.log.split(separator: "\n").last { $0.contains("ledger worker") }?.split(separator: " ").last,
                "\(platform.log)")
            let ledger = LedgerClient(baseURL: String(ledgerURL), serviceToken: platform.serviceToken)
            _ = try await ledger.submit(
                tenant: PlatformAuditRecord.ledgerTenant,
                entries: try records.map {
                    try LedgerEntry(
                        payload: try TaggedData(tag: Array(PlatformAuditRecord.tag.utf8), data: try $0.data()),
                        contentType: "application/json")
                })
        }

        /// Every audit entry once nothing waits to be recorded, with at least `count` entries.
        static func recordedEntries(
            _ platform: PlatformProcess, atLeast count: Int
        ) async throws -> [ControlAPI.AuditEntry] {
            let client = ControlClient(baseURL: platform.controlURL, adminToken: platform.adminToken)
            var entries: [ControlAPI.AuditEntry] = []
            for _ in 0..<100 {
                if let audit = try? await client.platformAudit(), audit.pending == 0 {
                    entries = try await client.auditEntries(after: nil, limit: 1000).entries
                    if entries.count >= count { break }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            return entries
        }
    }
}
