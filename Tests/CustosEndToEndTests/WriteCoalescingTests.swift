import Foundation
import Testing

extension Platforms.Shared {
    /// The gateway carries concurrent submissions to the ledger worker in batches, and every request still gets
    /// the id of its own entry, committed.
    @Suite("Write coalescing")
    struct WriteCoalescingTests {
        /// The number of batch calls the ledger worker has answered with 201, from its metrics.
        static func batchCalls(_ workerURL: String) async throws -> Int {
            let metrics = try await HTTP.request("GET", workerURL + "/metrics").text
            let prefix = #"hb_requests{http_route="/internal/v1/tenants/{tenant}/ledger/messages/batch","#
            return metrics.split(separator: "\n")
                .filter { $0.hasPrefix(prefix) && $0.contains(#"http_response_status_code="201""#) }
                .compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }
                .reduce(0, +)
        }

        @Test("200 concurrent writes: each answered with its own entry's id, in fewer internal calls than entries")
        func concurrentWrites() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("coalesce"), on: platform)
            let workerURL = "http://127.0.0.1:\(try #require(platform.childPort(matching: "worker ledger")))"
            let before = try await Self.batchCalls(workerURL)
            let count = 200
            let ids = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for index in 0..<count {
                    group.addTask {
                        let response = try await tenant.post(["tag": "coalesce", "data": ["n": index]])
                        #expect(response.status == 201, "\(response.text)")
                        return (index, try #require(response.object["messageId"] as? String))
                    }
                }
                return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
            }
            #expect(Set(ids.values).count == count)
            for (index, id) in ids {
                let read = try await tenant.get(id)
                #expect((read.object["data"] as? [String: Any])?["n"] as? Int == index, "entry \(index)")
            }
            let calls = try await Self.batchCalls(workerURL) - before
            #expect(calls >= 1 && calls < count, "\(count) entries took \(calls) batch calls")
        }
    }
}
