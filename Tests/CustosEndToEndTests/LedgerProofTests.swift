import CustosCore
import CustosLedger
import Foundation
import Testing

extension Platforms {
    /// Receipts, checkpoints and audits through the real processes, including a crash and a rollback: each test
    /// on a platform of its own, as both destroy state. (Key rotation, which does not, runs on the shared
    /// platform: `LedgerRotationTests`.)
    @Suite("Ledger proofs end to end")
    struct LedgerProofTests {
        /// Polls until every id has a receipt (a milestone covered it), then returns the receipts by id.
        static func receipts(_ ids: [String], tenant: TenantFixture, timeout: Duration = .seconds(30)) async throws
            -> [String: Receipt]
        {
            var receipts: [String: Receipt] = [:]
            let deadline = ContinuousClock.now + timeout
            for id in ids {
                while receipts[id] == nil {
                    let response = try await HTTP.request(
                        "GET", tenant.gatewayURL + "/api/v1/ledger/messages/\(id)/receipt",
                        headers: [("X-API-Key", tenant.apiKey)])
                    if response.status == 200 {
                        receipts[id] = try Receipt(jsonText: response.text)
                    } else {
                        #expect(response.status == 409 || response.status == 503, "\(response.status) \(response.text)")
                        guard ContinuousClock.now < deadline else { throw E2EError("no receipt for \(id) in time") }
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
            }
            return receipts
        }

        static func coordinatorKey(_ tenant: TenantFixture) async throws -> NoteVerifierKey {
            let info = try await HTTP.request(
                "GET", tenant.gatewayURL + "/api/v1/ledger", headers: [("X-API-Key", tenant.apiKey)])
            return try NoteVerifierKey(parsing: try #require(info.object["coordinatorKey"] as? String))
        }

        static func write(_ count: Int, to tenant: TenantFixture, tag: String = "audit") async throws -> [String] {
            var ids: [String] = []
            for index in 0..<count {
                let response = try await tenant.post(["tag": tag, "data": ["n": index]])
                ids.append(try #require(response.object["messageId"] as? String, "\(response.text)"))
            }
            return ids
        }

        @Test("receipts verify offline with custosctl, tampering is rejected, audits catch a rollback")
        func receiptsAndAudit() async throws {
            let platform = try await PlatformProcess.start()
            defer { platform.process.terminate() }
            let tenant = try await TenantFixture.create("ledgerco", on: platform)
            let ids = try await Self.write(30, to: tenant)
            let receipts = try await Self.receipts(ids, tenant: tenant)
            let key = try await Self.coordinatorKey(tenant)
            let installation = try String(
                contentsOf: platform.dataDirectory.appendingPathComponent("installation-id"), encoding: .utf8)
            let origin = "\(installation.dropLast()).custos.local/ledgerco"

            var leaves: Set<UInt64> = []
            for (id, receipt) in receipts {
                let report = try ReceiptVerifier.verify(receipt, trustedKey: key, expectedOrigin: origin)
                #expect(report.messageID.hex == id && report.keyTrust == .trusted)
                leaves.insert(report.leafIndex)
            }
            #expect(leaves.count == ids.count, "every entry has its own leaf")

            // The CLI verifies a receipt file and rejects a tampered one.
            let file = platform.baseDirectory.appendingPathComponent("receipt.json")
            let receipt = try #require(receipts[ids[7]])
            try receipt.canonicalJSON.write(to: file, atomically: true, encoding: .utf8)
            let good = try PlatformProcess.custosctl(["verify", file.path, "--key", key.text])
            #expect(good.status == 0, "\(good.output)")
            #expect(good.output.contains("VALID"))
            var json = try #require(receipt.json.objectValue)
            var message = try Base64.decode(try #require(json["message"]?.stringValue))
            message[message.count - 12] ^= 0x01
            json["message"] = .string(Base64.encode(message))
            try JCS.canonicalString(.object(json)).write(to: file, atomically: true, encoding: .utf8)
            let bad = try PlatformProcess.custosctl(["verify", file.path, "--key", key.text])
            #expect(bad.status == 2, "\(bad.output)")
            #expect(bad.output.contains("REJECTED"))

            // Audit: pin, grow, audit again.
            let state = platform.baseDirectory.appendingPathComponent("audit").path
            let audit = ["ledger", "audit", tenant.gatewayURL, "--api-key", tenant.apiKey, "--state-dir", state]
            let first = try PlatformProcess.custosctl(audit)
            #expect(first.status == 0 && first.output.contains("pinned"), "\(first.output)")
            _ = try await Self.receipts(try await Self.write(10, to: tenant), tenant: tenant)
            let second = try PlatformProcess.custosctl(audit)
            #expect(second.status == 0 && second.output.contains("append-only"), "\(second.output)")

            // An operator restores an older database: the log shrinks, and the audit must say so.
            let socket = platform.dataDirectory.appendingPathComponent("postgres/socket").path
            let rollback = """
                BEGIN;
                CREATE TEMP TABLE keep AS SELECT milestone_index, log_size FROM ledger.milestones
                  WHERE tenant_id = 'ledgerco' ORDER BY milestone_index LIMIT 1;
                DELETE FROM ledger.messages WHERE tenant_id = 'ledgerco' AND seq > (SELECT m.seq FROM ledger.messages m
                  JOIN ledger.milestones s ON s.message_id = m.message_id AND s.tenant_id = m.tenant_id
                  WHERE s.tenant_id = 'ledgerco' AND s.milestone_index = (SELECT milestone_index FROM keep));
                DELETE FROM ledger.leaves WHERE tenant_id = 'ledgerco' AND leaf_index >= (SELECT log_size FROM keep);
                DELETE FROM ledger.milestones WHERE tenant_id = 'ledgerco' AND milestone_index > (SELECT milestone_index FROM keep);
                DELETE FROM ledger.tiles WHERE tenant_id = 'ledgerco';
                COMMIT;
                """
            let psql = try PlatformProcess.run(
                "/usr/bin/psql",
                ["-v", "ON_ERROR_STOP=1", "-h", socket, "-U", "custos", "-d", "custos", "-c", rollback])
            #expect(psql.status == 0, "\(psql.output)")
            let worker = try #require(platform.childPIDs(matching: "worker ledger").first)
            kill(worker, SIGKILL)
            #expect(try await platform.waitReady(tenant.gatewayURL, timeout: .seconds(10)))
            var alarm = (status: Int32(0), output: "")
            let deadline = ContinuousClock.now + .seconds(10)
            repeat {
                try await Task.sleep(for: .milliseconds(200))
                alarm = try PlatformProcess.custosctl(audit)
            } while alarm.status != 2 && ContinuousClock.now < deadline
            #expect(alarm.status == 2, "\(alarm.output)")
            #expect(alarm.output.contains("rollback"), "\(alarm.output)")
            #expect(try await platform.stop() == 0)
        }

        @Test("kill -9 of the ledger worker during sustained writes: every acknowledged entry gets a valid receipt")
        func crashDuringWrites() async throws {
            let platform = try await PlatformProcess.start()
            defer { platform.process.terminate() }
            let tenant = try await TenantFixture.create("crashledger", on: platform)
            let key = try await Self.coordinatorKey(tenant)

            let stopAt = ContinuousClock.now + .seconds(4)
            let writers = (0..<3).map { writer in
                Task { () -> [String] in
                    var acknowledged: [String] = []
                    var index = 0
                    while ContinuousClock.now < stopAt {
                        index += 1
                        if let response = try? await tenant.post(["tag": "w\(writer)", "data": ["n": index]]),
                            response.status == 201, let id = response.object["messageId"] as? String
                        {
                            acknowledged.append(id)
                        }
                    }
                    return acknowledged
                }
            }
            let observer = Task { () -> [String] in
                var notes: [String] = []
                while ContinuousClock.now < stopAt + .seconds(2) {
                    if let response = try? await HTTP.request(
                        "GET", tenant.gatewayURL + "/api/v1/ledger/checkpoint", headers: [("X-API-Key", tenant.apiKey)]),
                        response.status == 200
                    {
                        notes.append(response.text)
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                return notes
            }
            try await Task.sleep(for: .milliseconds(1500))
            let victim = try #require(platform.childPIDs(matching: "worker ledger").first)
            kill(victim, SIGKILL)

            var acknowledged: [String] = []
            for writer in writers { acknowledged += await writer.value }
            let notes = await observer.value
            #expect(acknowledged.count > 50, "the writers should have made progress")

            let receipts = try await Self.receipts(acknowledged, tenant: tenant, timeout: .seconds(60))
            var leaves: Set<UInt64> = []
            for receipt in receipts.values {
                let report = try ReceiptVerifier.verify(receipt, trustedKey: key)
                #expect(leaves.insert(report.leafIndex).inserted, "leaf \(report.leafIndex) appears twice")
            }

            // Every checkpoint seen, before and after the crash, extends the previous one.
            var checkpoints = try notes.map { try Checkpoint.verified(note: $0, keys: [key]) }
            checkpoints.sort { $0.size < $1.size }
            #expect(checkpoints.count >= 2)
            for (older, newer) in zip(checkpoints, checkpoints.dropFirst()) where older.size > 0 {
                var proof: [Digest32] = []
                if newer.size > older.size {
                    let answer = try await HTTP.request(
                        "GET", tenant.gatewayURL + "/api/v1/ledger/consistency?from=\(older.size)&to=\(newer.size)",
                        headers: [("X-API-Key", tenant.apiKey)])
                    let hashes = try #require(answer.object["proof"] as? [String])
                    proof = try hashes.map { try Digest32(bytes: try Base64.decode($0)) }
                }
                _ = try ConsistencyCheck.verify(pinned: older, newer: newer, proof: proof)
            }
            #expect(try await platform.stop() == 0)
        }
    }
}
