import Foundation
import Testing

extension Platforms {
    /// `kill -9` of a worker or gateway while `custos up` runs: it comes back within 2 s and no acknowledged
    /// message is lost.
    @Suite("Crash recovery")
    struct CrashRecoveryTests {
        @Test("ledger worker and gateway are restarted within 2 s and acknowledged messages survive")
        func killNine() async throws {
            let platform = try await PlatformProcess.start()
            defer { platform.process.terminate() }
            let tenant = try await TenantFixture.create("crashy", on: platform)
            var acknowledged: [String] = []

            for (victim, round) in [("worker ledger", 0), ("custos gateway ", 1), ("worker ledger", 2)] {
                // Writes in flight while the process dies: only acknowledged ones must survive.
                let writer = Task { () -> [String] in
                    var ids: [String] = []
                    for index in 0..<200 {
                        if let response = try? await tenant.post(["tag": "round\(round)", "data": ["n": index]]),
                            response.status == 201, let id = response.object["messageId"] as? String
                        {
                            ids.append(id)
                        }
                    }
                    return ids
                }
                try await Task.sleep(for: .milliseconds(100))
                let pids = platform.childPIDs(matching: victim)
                try #require(pids.count == 1, "expected one \(victim) process, found \(pids)")
                kill(pids[0], SIGKILL)
                let killedAt = ContinuousClock.now

                var restarted = false
                while ContinuousClock.now - killedAt < .seconds(2) {
                    let current = platform.childPIDs(matching: victim)
                    if current.count == 1 && current[0] != pids[0] {
                        restarted = true
                        break
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                #expect(restarted, "\(victim) was not restarted within 2 s")
                acknowledged += await writer.value

                // The slice works again.
                var recovered = false
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline {
                    if let response = try? await tenant.post(["tag": "after", "data": round]), response.status == 201 {
                        recovered = true
                        break
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(recovered, "writes do not work again after killing \(victim)")
            }

            #expect(acknowledged.count > 0)
            for id in acknowledged {
                let response = try await tenant.get(id)
                #expect(response.status == 200, "acknowledged message \(id) is not readable: \(response.status)")
            }
            #expect(try await platform.stop() == 0)
        }
    }
}
