import CustosPolicy
import Foundation
import Testing

/// Compares CustosPolicy with cedarpy (the reference Rust engine) on thousands of generated cases.
@Suite(
    "Differential tests against cedarpy",
    .enabled(if: Oracle.isAvailable, "cedarpy is not installed (pip install cedarpy==4.12.2)"))
struct DifferentialTests {
    /// Seeds that once found a difference; each stays a fixed test.
    ///
    /// - 0xC057_0500 (case 43): the action index of `PolicySet` put `action == Action::"readGroup"` policies in the
    ///   same bucket as `action in Action::"readGroup"`, so a member action `read` matched an `==` scope.
    static let regressionSeeds: [UInt64] = [0xC057_0500]

    /// The batches of a run: 16 by default (4,800 cases, 28,800 requests); set `CUSTOS_POLICY_DIFF_BATCHES` to
    /// explore more seeds, and `CUSTOS_POLICY_DIFF_BASE` to start elsewhere.
    static let batches: [UInt64] = {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["CUSTOS_POLICY_DIFF_BATCHES"].flatMap { UInt64($0) } ?? 16
        let base = environment["CUSTOS_POLICY_DIFF_BASE"].flatMap { UInt64($0) } ?? 0xC057_0500
        return (0..<count).map { base + $0 }
    }()

    static func cases(seed: UInt64, count: Int) -> [OracleCase] {
        var generator = CaseGenerator(seed: seed)
        return (0..<count).map { generator.next(label: "case \($0)") }
    }

    @Test("generated policies, entities and requests decide like Cedar", arguments: batches)
    func generated(seed: UInt64) throws {
        let differences = try Oracle.differences(Self.cases(seed: seed, count: 300))
        #expect(
            differences.isEmpty,
            "\(differences.count) differences; first:\n\(differences.prefix(3).joined(separator: "\n\n"))")
    }

    @Test("seeds that once found a difference", arguments: regressionSeeds)
    func regression(seed: UInt64) throws {
        let differences = try Oracle.differences(Self.cases(seed: seed, count: 300))
        #expect(differences.isEmpty, "\(differences.prefix(3).joined(separator: "\n\n"))")
    }
}
