import CustosLedger
import Foundation
import Testing

extension Platforms {
    /// The whole platform dies and comes back on the same data directory.
    @Suite("Platform restart")
    struct RestartTests {
        @Test("after kill -9 of custos up its children exit; a new custos up reuses the cluster and the data")
        func killSupervisor() async throws {
            let first = try await PlatformProcess.start()
            var tenant = try await TenantFixture.create("phoenix", on: first)
            let ids = try await LedgerProofTests.write(5, to: tenant)
            _ = try await LedgerProofTests.receipts(ids, tenant: tenant)
            let key = try await LedgerProofTests.coordinatorKey(tenant)
            #expect(first.supervisedPIDs().count == 5, "three workers, the control plane and the pooled gateway")

            kill(first.process.processIdentifier, SIGKILL)
            var orphans = first.supervisedPIDs()
            let deadline = ContinuousClock.now + .seconds(5)
            while !orphans.isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
                orphans = first.supervisedPIDs()
            }
            #expect(orphans.isEmpty, "children must not outlive their supervisor: \\(orphans)")

            // PostgreSQL (a daemon) is still running; the next custos up reuses it and everything is back.
            let second = try await PlatformProcess.start(in: first.baseDirectory)
            defer { second.process.terminate() }
            #expect(second.adminToken == first.adminToken)
            // The pooled gateway came back on a port of its own choosing (--gateway-port 0): ask where.
            let shown = try await HTTP.request(
                "GET", second.controlURL + "/admin/v1/tenants/phoenix",
                headers: [("Authorization", "Bearer \(second.adminToken)")])
            let url = try #require(shown.object["gatewayUrl"] as? String, "\(shown.text)")
            tenant = TenantFixture(id: tenant.id, gatewayURL: url, apiKey: tenant.apiKey)
            #expect(try await second.waitReady(tenant.gatewayURL, timeout: .seconds(20)), "the gateway comes back")
            for id in ids {
                let read = try await tenant.get(id)
                #expect(read.status == 200, "\\(read.text)")
            }
            let more = try await LedgerProofTests.write(2, to: tenant)
            for receipt in try await LedgerProofTests.receipts(ids + more, tenant: tenant).values {
                _ = try ReceiptVerifier.verify(receipt, trustedKey: key)
            }
            #expect(second.log.contains("reusing running PostgreSQL cluster"))
            #expect(try await second.stop() == 0)
        }
    }
}
