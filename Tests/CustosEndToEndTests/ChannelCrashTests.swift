import CustosCore
import Foundation
import Testing

extension Platforms {
    /// The channel outbox across a crash: `kill -9` of the ledger worker, or of the streams worker, while entries are
    /// being written.
    @Suite("Channel writes across a worker crash")
    struct ChannelCrashTests {
        typealias Flow = Platforms.Shared.ChannelFlowTests

        @Test(
            "acknowledged entries stay; every recorded entry reaches the ledger after the restart, once, in order",
            arguments: ["worker ledger", "worker streams"])
        func killedMidWrite(victim: String) async throws {
            let platform = try await PlatformProcess.start()
            defer { platform.process.terminate() }
            let tenant = try await TenantFixture.create("outbox", on: platform)
            let (owner, _) = try await Flow.member(tenant, "Owner")
            let created = try await Flow.trail(owner, "POST", "/channels/create", ["topics": []])
            let address = try #require(created.object["channelAddress"] as? String, "\(created.text)")

            // Three writers in a row each while the worker dies: each write is acknowledged (200), refused with
            // nothing written, told that its entry is recorded and will be put on the ledger, or (the streams worker
            // gone mid-request) left without an answer (503). A streams worker that comes back anchors what its
            // predecessor left pending.
            let outcomes = try await withThrowingTaskGroup(of: [(Int, String, String)].self) { group in
                for writer in 0..<3 {
                    group.addTask {
                        var outcomes: [(Int, String, String)] = []
                        for index in 0..<80 {
                            let payload = "writer \(writer) entry \(index)"
                            let response = try await Flow.trail(
                                owner, "POST", "/channels/logs/\(address)", ["payload": payload])
                            outcomes.append((response.status, payload, response.text))
                        }
                        return outcomes
                    }
                }
                try await Task.sleep(for: .milliseconds(300))
                let pids = platform.childPIDs(matching: victim)
                try #require(pids.count == 1, "expected one \(victim) process, found \(pids)")
                kill(pids[0], SIGKILL)
                return try await group.reduce(into: []) { $0 += $1 }
            }
            let acknowledged = Set(outcomes.filter { $0.0 == 200 }.map(\.1))
            let recordedNotAnchored = Set(
                outcomes.filter { $0.0 == 503 && $0.2.contains("recorded in the channel") }.map(\.1))
            for (status, _, text) in outcomes where status != 200 {
                #expect(status == 503, "a write during the crash answered \(status): \(text)")
            }
            #expect(!acknowledged.isEmpty)

            // Once the ledger worker is back, every recorded envelope is anchored: the archive (anchored envelopes
            // only) reaches the count of envelopes the channel recorded.
            let options = ["--gateway", tenant.gatewayURL, "--api-key", tenant.apiKey]
            let directory = URL(fileURLWithPath: NSTemporaryDirectory())
                .appendingPathComponent("custos-outbox-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let archive = directory.appendingPathComponent("channel.json")
            var recorded = -1
            var exported = -2
            let deadline = ContinuousClock.now + .seconds(40)
            while ContinuousClock.now < deadline {
                let show = try PlatformProcess.custosctl(["channels", "show", address] + options)
                if let json = try? JSONParser.parse(Array(show.output.utf8)), let count = json["envelopes"]?.intValue {
                    recorded = count
                }
                let export = try PlatformProcess.custosctl(
                    ["channels", "export", address, "--out", archive.path] + options)
                if export.status == 0, let bytes = try? [UInt8](Data(contentsOf: archive)),
                    let entries = (try? JSONParser.parse(bytes))?["entries"]?.arrayValue
                {
                    exported = entries.count
                    if exported == recorded { break }
                }
                try await Task.sleep(for: .seconds(1))
            }
            #expect(exported == recorded, "\(recorded) envelopes recorded, \(exported) on the ledger")

            // The channel read in ledger order holds every acknowledged entry and every recorded one, each once.
            let verified = try PlatformProcess.custosctl(["verify", archive.path])
            #expect(verified.status == 0, "\(verified.output)")
            let read = try Flow.logs(
                try await Flow.trail(owner, "GET", "/channels/logs/\(address)", query: "&asc=true&limit=1000"))
            let payloads = read.compactMap { ($0["log"] as? [String: Any])?["payload"] as? String }
            #expect(payloads.count == Set(payloads).count, "an entry appears twice")
            #expect(acknowledged.isSubset(of: Set(payloads)), "an acknowledged entry is missing")
            #expect(recordedNotAnchored.isSubset(of: Set(payloads)), "an entry said to be recorded is missing")
            #expect(try await platform.stop() == 0)
        }
    }
}
