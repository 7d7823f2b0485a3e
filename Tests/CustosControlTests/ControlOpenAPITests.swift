import CustosCore
import Foundation
import Testing

@testable import CustosControl

@Suite("Control OpenAPI document")
struct ControlOpenAPITests {
    @Test("the served document is the one in docs/openapi/control.json")
    func matchesDocs() throws {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/openapi/control.json")
        let onDisk = try JSONParser.parse(Array(try Data(contentsOf: docs)))
        let served = try JSONParser.parse(ControlOpenAPI.json)
        #expect(onDisk == served, "run `make openapi` after editing docs/openapi/control.json")
        #expect(served["paths"]?["/admin/v1/tenants"]?["post"] != nil)
    }
}
