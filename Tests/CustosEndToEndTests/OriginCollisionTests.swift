import Foundation
import Testing

/// The ledger helpers (writes, receipts, the coordinator key), from outside `Platforms.Shared`.
private typealias LedgerProofTests = Platforms.LedgerProofTests

extension Platforms.Shared {
    /// Two installations with a tenant of the same id: their logs get different origins, and one audit state
    /// directory keeps a pin per log, so an audit of one never mistakes the other for a rollback. The first
    /// installation is the shared platform, the second one of the test's own.
    @Suite("Checkpoint origins across installations")
    struct OriginCollisionTests {
        static func network(_ tenant: TenantFixture) async throws -> (origin: String, key: String) {
            let info = try await HTTP.request(
                "GET", tenant.gatewayURL + "/api/v1/ledger", headers: [("X-API-Key", tenant.apiKey)])
            return (
                try #require(info.object["origin"] as? String, "\(info.text)"),
                try #require(info.object["coordinatorKey"] as? String, "\(info.text)")
            )
        }

        static func installationID(_ platform: PlatformProcess) throws -> String {
            let text = try String(
                contentsOf: platform.dataDirectory.appendingPathComponent("installation-id"), encoding: .utf8)
            return text.trimmingCharacters(in: .newlines)
        }

        static func audit(_ tenant: TenantFixture, state: String, _ extra: [String] = []) throws -> (
            status: Int32, output: String
        ) {
            try PlatformProcess.custosctl(
                ["ledger", "audit", tenant.gatewayURL, "--api-key", tenant.apiKey, "--state-dir", state] + extra)
        }

        @Test("two platforms with a tenant acme each: different origins, a pin per log, no false rollback")
        func twoInstallations() async throws {
            let states = URL(fileURLWithPath: NSTemporaryDirectory())
                .appendingPathComponent("custos-e2e-audit-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: states) }
            let state = states.appendingPathComponent("shared").path

            let first = try SharedPlatform.platform()
            let id = TenantFixture.uniqueID("acme")
            let acme1 = try await TenantFixture.create(id, on: first)
            _ = try await LedgerProofTests.receipts(try await LedgerProofTests.write(12, to: acme1), tenant: acme1)
            let pinned1 = try Self.audit(acme1, state: state)
            #expect(pinned1.status == 0 && pinned1.output.contains("pinned"), "\(pinned1.output)")

            let second = try await PlatformProcess.start()
            defer { second.process.terminate() }
            let acme2 = try await TenantFixture.create(id, on: second)
            _ = try await LedgerProofTests.receipts(try await LedgerProofTests.write(3, to: acme2), tenant: acme2)
            let pinned2 = try Self.audit(acme2, state: state)
            #expect(pinned2.status == 0 && pinned2.output.contains("pinned"), "\(pinned2.output)")
            #expect(!pinned2.output.contains("rollback") && !pinned2.output.contains("AUDIT FAILED"))

            // Each origin is named after its installation, so the two logs differ in name, not only in key.
            let (network1, network2) = (try await Self.network(acme1), try await Self.network(acme2))
            let (id1, id2) = (try Self.installationID(first), try Self.installationID(second))
            #expect(id1 != id2)
            #expect(network1.origin == "\(id1).custos.local/\(id)")
            #expect(network2.origin == "\(id2).custos.local/\(id)")
            let pinFiles = try FileManager.default.contentsOfDirectory(atPath: state).filter { $0.hasSuffix(".json") }
            #expect(pinFiles.count == 2, "\(pinFiles)")

            // Both logs keep being audited from the same directory, each against its own pin.
            _ = try await LedgerProofTests.receipts(try await LedgerProofTests.write(2, to: acme1), tenant: acme1)
            let grown = try Self.audit(acme1, state: state)
            #expect(grown.status == 0 && grown.output.contains("append-only"), "\(grown.output)")
            let unchanged = try Self.audit(acme2, state: state)
            #expect(unchanged.status == 0 && unchanged.output.contains("unchanged"), "\(unchanged.output)")

            // The same origin under another key with no announced rotation (two installations that both named
            // their logs alike, as all did before installation identities): not a rollback, but KEY DIFFERS,
            // with the way forward.
            let legacy = states.appendingPathComponent("same-origin")
            try FileManager.default.createDirectory(at: legacy, withIntermediateDirectories: true)
            let firstPin = try #require(
                try FileManager.default.contentsOfDirectory(atPath: state).first {
                    $0.hasSuffix(".json") && $0.hasPrefix(id1)
                })
            var pin = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: state).appendingPathComponent(firstPin)))
                    as? [String: Any])
            pin["origin"] = network2.origin
            // Named as earlier versions named pins: the origin alone.
            let legacyName = network2.origin.replacingOccurrences(of: "/", with: "_") + ".json"
            try JSONSerialization.data(withJSONObject: pin).write(to: legacy.appendingPathComponent(legacyName))
            let differs = try Self.audit(acme2, state: legacy.path)
            #expect(differs.status == 2, "\(differs.output)")
            #expect(
                differs.output.contains("KEY DIFFERS") && differs.output.contains("--new-log-key"), "\(differs.output)")
            #expect(!differs.output.contains("rollback"), "\(differs.output)")
            // Confirming the wrong key pins nothing; confirming the presented key pins the log beside the other.
            let wrong = try Self.audit(acme2, state: legacy.path, ["--new-log-key", network1.key])
            #expect(wrong.status == 2, "\(wrong.output)")
            let confirmed = try Self.audit(acme2, state: legacy.path, ["--new-log-key", network2.key])
            #expect(confirmed.status == 0 && confirmed.output.contains("NEW log"), "\(confirmed.output)")
            let again = try Self.audit(acme2, state: legacy.path)
            #expect(again.status == 0 && again.output.contains("unchanged"), "\(again.output)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: legacy.path).count == 2)

            #expect(try await second.stop() == 0)
        }
    }
}
