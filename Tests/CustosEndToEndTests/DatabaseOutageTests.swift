import CustosCore
import CustosLedger
import Foundation
import Synchronization
import Testing

extension Platforms {
    /// `kill -9` of the embedded PostgreSQL while `custos up` runs: requests get 503 quickly, never 500 or a
    /// hang; the platform restarts PostgreSQL and every process reconnects on its own; nothing acknowledged is lost.
    @Suite("Database outage")
    struct DatabaseOutageTests {
        /// One write attempt: when it started (relative to the kill, negative before it), how long it took, and
        /// what came back.
        struct Attempt: Sendable {
            var startedAfterKill: Duration?
            var took: Duration
            var status: Int?
            var error: String?
            var id: String?
        }

        /// The writers' shared log, and the moment of the kill once it happened.
        final class Journal: Sendable {
            private let state = Mutex<(killedAt: ContinuousClock.Instant?, attempts: [Attempt])>((nil, []))

            var killedAt: ContinuousClock.Instant? {
                get { state.withLock { $0.killedAt } }
                set { state.withLock { $0.killedAt = newValue } }
            }
            var attempts: [Attempt] { state.withLock { $0.attempts } }

            func record(started: ContinuousClock.Instant, status: Int?, error: String?, id: String?) {
                state.withLock { state in
                    state.attempts.append(
                        Attempt(
                            startedAfterKill: state.killedAt.map { started - $0 }, took: .now - started,
                            status: status, error: error, id: id))
                }
            }

            /// Acknowledged writes that started after the kill.
            var acknowledgedAfterKill: Int {
                state.withLock { $0.attempts.filter { $0.startedAfterKill != nil && $0.status == 201 }.count }
            }
        }

        /// A child process of `parent` whose title (`postgres: checkpointer`) contains `title`.
        static func child(of parent: pid_t, titled title: String) -> pid_t? {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { pid_t($0) }.first { pid in
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")"),
                    pid_t(stat[stat.index(after: close)...].split(separator: " ").dropFirst().first ?? "") == parent,
                    let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
                else { return false }
                return String(decoding: cmdline, as: UTF8.self).contains(title)
            }
        }

        @Test("kill -9 of PostgreSQL: 503s without hangs, /health/ready 503, writes resume, receipts verify")
        func killPostgres() async throws {
            let began = ContinuousClock.now
            let platform = try await PlatformProcess.start()
            defer { platform.process.terminate() }
            let tenant = try await TenantFixture.create("outage", on: platform)
            let pidFile = platform.dataDirectory.appendingPathComponent("postgres/cluster/postmaster.pid")

            // A channel writer beside them: identity JWT, policies, the streams worker and its transactions.
            let (author, _) = try await Shared.ChannelFlowTests.member(tenant, "Outage")
            let channel = try await Shared.ChannelFlowTests.trail(author, "POST", "/channels/create", ["topics": []])
            let address = try #require(channel.object["channelAddress"] as? String, "\(channel.text)")
            let channelJournal = Journal()

            let journal = Journal()
            let giveUp = ContinuousClock.now + .seconds(25)
            let channelWriter = Task {
                var index = 0
                // Until 5 channel writes after the kill were acknowledged (or time runs out).
                while ContinuousClock.now < giveUp && channelJournal.acknowledgedAfterKill < 5 {
                    index += 1
                    let started = ContinuousClock.now
                    do {
                        let response = try await Shared.ChannelFlowTests.trail(
                            author, "POST", "/channels/logs/\(address)", ["payload": "entry \(index)"])
                        let ok = response.status == 200
                        channelJournal.record(
                            started: started, status: ok ? 201 : response.status, error: ok ? nil : response.text,
                            id: nil)
                        if !ok { try? await Task.sleep(for: .milliseconds(50)) }
                    } catch {
                        channelJournal.record(started: started, status: nil, error: "\(error)", id: nil)
                    }
                }
            }
            let writers = (0..<3).map { writer in
                Task {
                    var index = 0
                    // Until 40 writes after the kill were acknowledged (or time runs out).
                    while journal.acknowledgedAfterKill < 40 && ContinuousClock.now < giveUp {
                        index += 1
                        let started = ContinuousClock.now
                        do {
                            let response = try await HTTP.request(
                                "POST", tenant.gatewayURL + "/api/v1/ledger/messages",
                                headers: [("X-API-Key", tenant.apiKey), ("Content-Type", "application/json")],
                                body: HTTP.json(["tag": "w\(writer)", "data": ["n": index]]), timeout: .seconds(20))
                            journal.record(
                                started: started, status: response.status,
                                error: response.status == 201 ? nil : response.text,
                                id: response.status == 201 ? response.object["messageId"] as? String : nil)
                            // A refused write is retried a little later, as a client honouring Retry-After would.
                            if response.status != 201 { try? await Task.sleep(for: .milliseconds(50)) }
                        } catch {
                            journal.record(started: started, status: nil, error: "\(error)", id: nil)
                        }
                        if index % 5 == 0 { try? await Task.sleep(for: .milliseconds(10)) }
                    }
                }
            }

            // Sustained writes first, then the kill. A stopped checkpointer of the killed server keeps its shared
            // memory attached for 3 s, as slow backends do, so PostgreSQL refuses to start until it is gone: the
            // outage lasts long enough to be seen, and the supervisor has to retry.
            try await Task.sleep(for: .milliseconds(500))
            let contents = try String(contentsOf: pidFile, encoding: .utf8)
            let postmaster = try #require(contents.split(separator: "\n").first.flatMap { pid_t($0) })
            let checkpointer = try #require(Self.child(of: postmaster, titled: "checkpointer"))
            #expect(kill(checkpointer, SIGSTOP) == 0)
            #expect(kill(postmaster, SIGKILL) == 0)
            journal.killedAt = .now
            channelJournal.killedAt = journal.killedAt
            let killedAt = ContinuousClock.now
            let release = Task {
                try await Task.sleep(for: .seconds(3))
                kill(checkpointer, SIGCONT)
            }

            // The gateway's readiness reports the outage, and later the recovery.
            var readiness: [(after: Duration, status: Int?, took: Duration)] = []
            while ContinuousClock.now - killedAt < .seconds(15) {
                let started = ContinuousClock.now
                let status = try? await HTTP.request("GET", tenant.gatewayURL + "/health/ready", timeout: .seconds(10))
                    .status
                readiness.append((started - killedAt, status, .now - started))
                if status == 200 && readiness.contains(where: { $0.status == 503 }) { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            for writer in writers { await writer.value }
            await channelWriter.value
            try await release.value
            // Channel writes: 503 or a fast failure during the outage, never a 500 or a hang, and they resume.
            for attempt in channelJournal.attempts where attempt.status != 201 {
                #expect(attempt.status == 503 || attempt.status == nil, "unexpected channel answer: \(attempt)")
            }
            #expect(
                channelJournal.attempts.allSatisfy { $0.took < .seconds(6) },
                "a channel write hung: \(channelJournal.attempts.filter { $0.took >= .seconds(6) })")
            #expect(
                channelJournal.acknowledgedAfterKill > 0,
                "channel writes did not resume: \(channelJournal.attempts.suffix(5).map { "\($0.status ?? 0) \($0.took) \($0.error ?? "")" })"
            )
            let attempts = journal.attempts
            let afterKill = attempts.filter { $0.startedAfterKill != nil }

            // Readiness: 503 while the database is away, answered in time, ready again afterwards.
            #expect(readiness.contains { $0.status == 503 }, "no 503 from /health/ready: \(readiness)")
            #expect(readiness.last?.status == 200, "the gateway is not ready again: \(readiness)")
            #expect(readiness.allSatisfy { $0.took < .seconds(3) }, "a readiness probe hung: \(readiness)")

            // During the outage: 503 or a fast failure, never a 500, never a hang.
            for attempt in attempts where attempt.status != 201 {
                #expect(attempt.status == 503 || attempt.status == nil, "unexpected answer: \(attempt)")
                #expect(attempt.status != 500, "a 500 during the outage: \(attempt)")
            }
            let slow = attempts.filter { $0.took > .seconds(6) }
            #expect(slow.isEmpty, "requests hung: \(slow)")
            let failed = afterKill.filter { $0.status != 201 }
            #expect(!failed.isEmpty, "the outage went unnoticed by the writers")

            // Writes resumed by themselves within 10 s of the kill (a write the dying server still committed
            // does not count: the first success after the first refusal does).
            let firstRefusal = failed.compactMap(\.startedAfterKill).min() ?? .zero
            let firstSuccess = afterKill.filter { $0.status == 201 && $0.startedAfterKill! > firstRefusal }
                .map { $0.startedAfterKill! + $0.took }.min()
            let resumed = try #require(firstSuccess, "writes did not resume")
            #expect(resumed < .seconds(10), "writes resumed only \(resumed) after the kill")
            #expect(journal.acknowledgedAfterKill >= 40, "only \(journal.acknowledgedAfterKill) writes after the kill")

            // The supervisor said what happened, and PostgreSQL runs under a new pid.
            let log = platform.log
            #expect(log.contains("PostgreSQL exited; restarting"))
            #expect(log.contains("PostgreSQL did not start; retrying"))
            #expect(log.contains("PostgreSQL is back"))
            let newContents = try String(contentsOf: pidFile, encoding: .utf8)
            #expect(newContents.split(separator: "\n").first.flatMap { pid_t($0) } != postmaster)

            // Every acknowledged entry is readable and gets a receipt that verifies under the coordinator key.
            let acknowledged = attempts.compactMap(\.id)
            #expect(Set(acknowledged).count == acknowledged.count, "an id was acknowledged twice")
            for id in acknowledged {
                let response = try await tenant.get(id)
                #expect(response.status == 200, "acknowledged entry \(id) is not readable: \(response.status)")
            }
            let info = try await HTTP.request(
                "GET", tenant.gatewayURL + "/api/v1/ledger", headers: [("X-API-Key", tenant.apiKey)])
            let origin = try #require(info.object["origin"] as? String)
            let key = try await LedgerProofTests.coordinatorKey(tenant)
            var leaves: Set<UInt64> = []
            for (id, receipt) in try await LedgerProofTests.receipts(acknowledged, tenant: tenant) {
                let report = try ReceiptVerifier.verify(receipt, trustedKey: key, expectedOrigin: origin)
                #expect(report.messageID.hex == id && report.keyTrust == .trusted)
                leaves.insert(report.leafIndex)
            }
            #expect(leaves.count == acknowledged.count, "every acknowledged entry has its own leaf")
            #expect(try await platform.stop() == 0)
            print(
                "database outage test: \(acknowledged.count) acknowledged, \(failed.count) refused during the outage, "
                    + "slowest \(attempts.map(\.took).max() ?? .zero), writes resumed \(resumed) after the kill, "
                    + "total \(ContinuousClock.now - began)")
        }
    }
}
