import CustosLedger
import Foundation
import Testing

/// The ledger helpers (writes, receipts, the coordinator key), from outside `Platforms.Shared`.
private typealias LedgerProofTests = Platforms.LedgerProofTests

extension Platforms.Shared {
    /// A coordinator key rotation of one tenant, through the real processes; it changes nothing of other tenants,
    /// so it runs on the shared platform.
    @Suite("Ledger key rotation end to end")
    struct LedgerRotationTests {
        @Test("a coordinator key rotation is announced, later checkpoints use the new key, audits notice")
        func rotation() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("rotor"), on: platform)
            let before = try await LedgerProofTests.write(5, to: tenant)
            _ = try await LedgerProofTests.receipts(before, tenant: tenant)
            let oldKey = try await LedgerProofTests.coordinatorKey(tenant)
            let state = platform.baseDirectory.appendingPathComponent("audit-\(tenant.id)").path
            let audit = ["ledger", "audit", tenant.gatewayURL, "--api-key", tenant.apiKey, "--state-dir", state]
            #expect(try PlatformProcess.custosctl(audit).status == 0)

            let rotate = try PlatformProcess.custosctl(
                ["tenants", "rotate-ledger-key", tenant.id, "--data-dir", platform.dataDirectory.path])
            #expect(rotate.status == 0, "\(rotate.output)")
            // The announcing milestone is signed by the old key; the next ones by the new key.
            var newKey = oldKey
            let deadline = ContinuousClock.now + .seconds(15)
            while newKey == oldKey && ContinuousClock.now < deadline {
                _ = try await LedgerProofTests.receipts(try await LedgerProofTests.write(1, to: tenant), tenant: tenant)
                newKey = try await LedgerProofTests.coordinatorKey(tenant)
            }
            #expect(newKey != oldKey)
            // The tenant's trust root publishes the new key beside the old one, in a new document version.
            let sdk = IdentityBridgeFlowTests.SDK(tenant: tenant)
            let roots = try await sdk.call("GET", "/verification/trusted-roots")
            let root = try #require((roots.object["trustedRoots"] as? [String])?.first, "\(roots.text)")
            let resolved = try await HTTP.request("GET", tenant.gatewayURL + "/1.0/identifiers/\(root)")
            let document = try #require(resolved.object["didDocument"] as? [String: Any], "\(resolved.text)")
            let methods = (document["verificationMethod"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(
                methods.contains(root + "#coordinator-0") && methods.contains(root + "#coordinator-1"), "\(methods)")
            let service = (document["service"] as? [[String: Any]])?.first { ($0["id"] as? String) == root + "#ledger" }
            #expect((service?["serviceEndpoint"] as? [String: Any])?["verifierKey"] as? String == newKey.text)
            let metadata = try #require(resolved.object["didDocumentMetadata"] as? [String: Any])
            #expect(metadata["versionId"] as? String == "2", "\(metadata)")
            let after = try await LedgerProofTests.write(3, to: tenant)
            _ = try await LedgerProofTests.receipts(after, tenant: tenant)
            for (_, receipt) in try await LedgerProofTests.receipts(before + after, tenant: tenant) {
                _ = try ReceiptVerifier.verify(receipt, trustedKey: newKey)
                #expect(throws: (any Error).self) { try ReceiptVerifier.verify(receipt, trustedKey: oldKey) }
            }
            // The audit follows the announced rotation and moves its pin to the new key.
            let followed = try PlatformProcess.custosctl(audit)
            #expect(followed.status == 0, "\(followed.output)")
            #expect(followed.output.contains("rotation announced") && followed.output.contains("append-only"))
            let pinFile = try #require(
                FileManager.default.contentsOfDirectory(atPath: state).first { $0.hasSuffix(".json") })
            let pinText = try String(contentsOfFile: state + "/" + pinFile, encoding: .utf8)
            #expect(
                pinText.contains(newKey.text.replacingOccurrences(of: "/", with: "\\/"))
                    || pinText.contains(newKey.text))
            // A pin whose key did not sign the pinned milestone (a key swapped behind the auditor's back) fails.
            try pinText.replacingOccurrences(of: newKey.text, with: oldKey.text)
                .write(toFile: state + "/" + pinFile, atomically: true, encoding: .utf8)
            let forged = try PlatformProcess.custosctl(audit)
            #expect(forged.status == 2 && forged.output.contains("AUDIT FAILED"), "\(forged.output)")
        }
    }
}
