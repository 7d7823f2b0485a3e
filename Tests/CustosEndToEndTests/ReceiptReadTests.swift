import CustosCore
import CustosLedger
import Foundation
import Testing

/// The ledger helpers (writes, receipts, the coordinator key), from outside `Platforms.Shared`.
private typealias LedgerProofTests = Platforms.LedgerProofTests

extension Platforms.Shared {
    /// Receipt reads through the gateway, which carries a tenant's concurrent ones to the ledger worker together.
    @Suite("Receipt reads end to end")
    struct ReceiptReadTests {
        @Test("concurrent receipt reads each get their own answer: no id's error, or tenant, leaks into another's")
        func concurrentReads() async throws {
            let platform = try SharedPlatform.platform()
            let owner = try await TenantFixture.create(TenantFixture.uniqueID("reader"), on: platform)
            let other = try await TenantFixture.create(TenantFixture.uniqueID("reader"), on: platform)
            let ids = try await LedgerProofTests.write(12, to: owner)
            let foreign = try await LedgerProofTests.write(2, to: other)
            // Once every id has a receipt, read them all again: a milestone that confirmed only the first ids came
            // before the newest checkpoint, which every receipt is now computed under.
            _ = try await LedgerProofTests.receipts(ids, tenant: owner)
            let expected = try await LedgerProofTests.receipts(ids, tenant: owner)
            let unknown = Hex.encode([UInt8](repeating: 0xAB, count: 32))
            // Every id several times over, with ids that have no receipt for this tenant among them.
            let asked = Array(repeating: ids + [unknown] + foreign, count: 4).joined().shuffled()
            let answers = try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
                for id in asked {
                    group.addTask {
                        let response = try await HTTP.request(
                            "GET", owner.gatewayURL + "/api/v1/ledger/messages/\(id)/receipt",
                            headers: [("X-API-Key", owner.apiKey)])
                        return (id, response.status, response.text)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.count == asked.count)
            for (id, status, text) in answers {
                if let receipt = expected[id] {
                    #expect(status == 200, "\(id): \(status) \(text)")
                    #expect(text == receipt.canonicalJSON, "\(id): the same bytes as when read alone")
                } else {
                    #expect(status == 404, "\(id): \(status) \(text)")
                    #expect(text.contains("no message \(id) in this ledger"), "\(text)")
                }
            }
            // The other tenant's ids are its own, readable with its own key.
            let theirs = try await LedgerProofTests.receipts(foreign, tenant: other)
            #expect(theirs.values.allSatisfy { $0.tenant == other.id })
        }
    }
}
