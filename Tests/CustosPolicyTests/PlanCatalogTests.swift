import Foundation
import Testing

@testable import CustosPolicy

@Suite("Plans file")
struct PlanCatalogTests {
    static var shippedFile: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("Policies/plans.yaml"), encoding: .utf8)) ?? ""
    }

    @Test("the shipped Policies/plans.yaml validates and is the embedded copy")
    func shipped() throws {
        let catalog = try PlanCatalog(yaml: Self.shippedFile)
        #expect(catalog == PlanCatalog.shipped)
        #expect(catalog.defaultPlan == "standard" && catalog.signupPlan == "free")
        #expect(catalog["free"]?.isolation == .pooled && catalog["dedicated"]?.isolation == .dedicated)
        #expect(catalog["free"]?.rateLimits.perKey == Plan.Rate(requestsPerSecond: 20, burst: 40))
        #expect(catalog["dedicated"]?.quotas.entriesPerDay == nil, "a missing quota is unlimited")
    }

    @Test(
        "a file that does not validate names the field that is wrong",
        arguments: [
            ("defaultPlan: a\nsignupPlan: a\nplans:\n  a: {description: x, isolation: shared}\n", "plans.a.isolation"),
            (
                "defaultPlan: b\nsignupPlan: a\nplans:\n  a: {description: x, isolation: pooled}\n",
                "defaultPlan: no plan b"
            ),
            (
                "defaultPlan: a\nsignupPlan: a\nplans:\n  a: {description: x, isolation: pooled, colour: red}\n",
                "unknown field colour"
            ),
            (
                "defaultPlan: a\nsignupPlan: a\nplans:\n  a: {description: x, isolation: pooled, quotas: {apiKeys: -1}}\n",
                "plans.a.quotas.apiKeys"
            ),
            (
                "defaultPlan: a\nsignupPlan: a\nplans:\n  a:\n    description: x\n    isolation: pooled\n    rateLimits: {perKey: {requestsPerSecond: 10, burst: 5}}\n",
                "plans.a.rateLimits.perKey"
            ),
            ("defaultPlan: a\nsignupPlan: a\nplans:\n  A_B: {description: x, isolation: pooled}\n", "plans.A_B"),
            ("defaultPlan: a\nsignupPlan: a\nplans: {}\n", "at least one plan"),
            ("plans: [1, 2", "not YAML"),
        ])
    func invalid(_ text: String, _ expected: String) {
        #expect {
            _ = try PlanCatalog(yaml: text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }
}
