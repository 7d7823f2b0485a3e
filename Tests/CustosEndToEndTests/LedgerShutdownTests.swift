import CustosLedger
import Foundation
import Synchronization
import Testing

extension Platforms {
    /// SIGTERM of the real ledger worker while entries are written: it drains and exits 0 (on a platform of its
    /// own, since the worker is stopped).
    @Suite("Ledger worker shutdown")
    struct LedgerShutdownTests {
        @Test("SIGTERM during writes: exit 0, no write hits a closed connection, every acknowledged entry is confirmed")
        func sigtermDuringWrites() async throws {
            let platform = try await PlatformProcess.start()
            defer { platform.process.terminate() }
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("drain"), on: platform)
            let key = try await LedgerProofTests.coordinatorKey(tenant)

            let writing = WritingFlag()
            let writers = (0..<8).map { writer in
                Task { () -> (acknowledged: [String], statuses: [Int]) in
                    var ids: [String] = []
                    var statuses: [Int] = []
                    var index = 0
                    while writing.isOn {
                        index += 1
                        guard
                            let response = try? await tenant.post(["tag": "drain", "data": ["w": writer, "n": index]])
                        else { continue }
                        statuses.append(response.status)
                        if response.status == 201, let id = response.object["messageId"] as? String {
                            ids.append(id)
                        }
                    }
                    return (ids, statuses)
                }
            }
            try await Task.sleep(for: .milliseconds(800))
            let pids = platform.childPIDs(matching: "worker ledger")
            try #require(pids.count == 1, "expected one ledger worker, found \(pids)")
            let offset = platform.log.utf8.count
            kill(pids[0], SIGTERM)

            // The supervisor reports the exit, then starts a new worker; the writers keep going meanwhile.
            var exitLine: String?
            let deadline = ContinuousClock.now + .seconds(20)
            while exitLine == nil && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                exitLine = Self.lines(of: platform, from: offset).first {
                    $0.contains("exited; restarting") && $0.contains("child=worker ledger")
                }
            }
            let exit = try #require(exitLine, "the ledger worker did not exit within 20 s of SIGTERM")
            #expect(exit.contains("status=exited(0)"), "\(exit)")
            var restarted = false
            while !restarted && ContinuousClock.now < deadline {
                let current = platform.childPIDs(matching: "worker ledger")
                restarted = current.count == 1 && current[0] != pids[0]
                if !restarted { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(restarted, "the ledger worker was not restarted")
            try await Task.sleep(for: .milliseconds(1500))
            writing.stop()
            var acknowledged: [String] = []
            var statuses: [Int] = []
            for writer in writers {
                let result = await writer.value
                acknowledged += result.acknowledged
                statuses += result.statuses
            }

            // What the old worker logged while it stopped (at debug level, as `custos up` runs it in these tests):
            // the writers finished before the PostgreSQL client was shut down, and no write failed.
            let stopping = Self.lines(of: platform, from: offset).prefix { !$0.contains("exited; restarting") }
                .filter { $0.contains("custos worker ledger:") }
            let writersStopped = stopping.firstIndex { $0.contains("ledger writers stopped") }
            let clientStopping = stopping.firstIndex {
                $0.contains("sl-service=PostgresNIO.PostgresClient") && $0.contains("Triggering graceful shutdown")
            }
            let complaints = stopping.enumerated().filter { index, line in
                let lower = line.lowercased()
                let beforeWritersStopped = writersStopped.map { index < $0 } ?? true
                return [" warning ", " error ", " critical "].contains { line.contains($0) }
                    || ["closedconnection", "poolclosed", "write failed", "unavailable"].contains { lower.contains($0) }
                    || (beforeWritersStopped && lower.contains("connection closed"))
            }.map(\.element)
            #expect(writersStopped != nil && clientStopping != nil, "the shutdown steps were not logged")
            if let writersStopped, let clientStopping {
                #expect(writersStopped < clientStopping, "the PostgreSQL client stops only after the writers")
            }
            if !complaints.isEmpty || writersStopped == nil { platform.keepDirectory() }
            #expect(
                complaints.isEmpty,
                "the ledger worker complained while stopping:\n\(complaints.joined(separator: "\n"))")
            #expect(!statuses.contains(500), "no 500 while the worker restarts")
            #expect(statuses.allSatisfy { $0 == 201 || $0 == 503 }, "\(Set(statuses))")
            #expect(acknowledged.count > 50, "only \(acknowledged.count) entries were acknowledged")

            // Every acknowledged entry is readable and confirmed by a milestone with a verifying receipt.
            let receipts = try await LedgerProofTests.receipts(acknowledged, tenant: tenant, timeout: .seconds(60))
            for receipt in receipts.values { _ = try ReceiptVerifier.verify(receipt, trustedKey: key) }
            #expect(receipts.count == acknowledged.count)
            #expect(try await platform.stop() == 0)
        }

        /// The platform's log lines written after byte `offset`.
        static func lines(of platform: PlatformProcess, from offset: Int) -> [String] {
            let log = Array(platform.log.utf8)
            guard offset < log.count else { return [] }
            return String(decoding: log[offset...], as: UTF8.self).split(separator: "\n").map(String.init)
        }
    }
}
