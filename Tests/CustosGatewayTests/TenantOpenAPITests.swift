import CustosCore
import Foundation
import Testing

@testable import CustosGateway

@Suite("Tenant OpenAPI document")
struct TenantOpenAPITests {
    @Test("the served document is the one in docs/openapi/tenant.json")
    func matchesDocs() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi/tenant.json")
        let onDisk = try JSONParser.parse(Array(try Data(contentsOf: docs)))
        let served = try JSONParser.parse(TenantOpenAPI.json)
        #expect(onDisk == served, "run `make openapi` after editing docs/openapi/tenant.json")
        #expect(served["paths"]?["/api/v1/ledger/messages"]?["post"] != nil)
    }
}
