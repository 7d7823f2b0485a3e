import CustosClients
import CustosCore
import Testing

@testable import CustosGateway

@Suite("Identity facts read together")
struct IdentityFactsQueueTests {
    @Test("each request gets the answer of its own identity's call, one call per distinct identity")
    func oneAnswerPerRequest() async throws {
        // Nothing listens there: every call fails, and each request must get that failure, not a lost answer.
        let ssi = SSIClient(baseURL: "http://127.0.0.1:1", serviceToken: "t", timeout: .seconds(2))
        let results = await IdentityFactsReader(ssi: ssi, tenant: TenantID("acme")!).read([
            "did:key:a", "did:key:b", "did:key:a",
        ])
        #expect(results.count == 3)
        for result in results {
            guard case .failure(let error) = result else {
                Issue.record("a call to a closed port succeeded")
                continue
            }
            #expect(!"\(error)".contains("no facts for"), "\(error)")
        }
    }
}
