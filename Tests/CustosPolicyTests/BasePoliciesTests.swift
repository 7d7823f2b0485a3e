import Testing

@testable import CustosPolicy

@Suite("Embedded base policies")
struct BasePoliciesTests {
    @Test("the policies the processes evaluate are Policies/ as committed")
    func matchesFiles() throws {
        let message = "run `make openapi` after editing Policies/"
        #expect(
            BasePolicies.schema.trimmingCharacters(in: .newlines)
                == (try ShippedPolicies.schemaText).trimmingCharacters(in: .newlines), "\(message)")
        #expect(BasePolicies.files.map(\.name) == (try ShippedPolicies.baseFiles), "\(message)")
        for (name, text) in BasePolicies.files {
            #expect(
                text.trimmingCharacters(in: .newlines)
                    == (try ShippedPolicies.read("base/\(name)")).trimmingCharacters(in: .newlines), "\(name)")
        }
    }
}
