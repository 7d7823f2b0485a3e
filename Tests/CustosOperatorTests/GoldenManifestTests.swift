import CustosCore
import CustosOperator
import Foundation
import Testing

/// The reconciler's objects for fixed CustosTenants, against checked-in JSON (Golden/). When the output changes
/// on purpose, run the tests with UPDATE_GOLDEN=1 and review the diff of Golden/ before committing it.
@Suite("Golden manifests")
struct GoldenManifestTests {
    static let cases: [(file: String, name: String, spec: [String: JSONValue])] = [
        ("acme.json", "acme", [:]),
        (
            "globex-corp.json", "globex-corp",
            [
                "replicas": 3,
                "resources": ["requests": ["cpu": "500m", "memory": "256Mi"], "limits": ["memory": "1Gi"]],
            ]
        ),
    ]

    @Test("a fresh tenant's Deployment, Service and Ingress match Golden/", arguments: cases.indices)
    func golden(index: Int) throws {
        let (file, name, spec) = Self.cases[index]
        let reconciler = try Fixtures.reconciler()
        let tenant = try Fixtures.tenant(name, spec: spec, finalizers: [Reconciler.finalizer])
        let created = Fixtures.created(reconciler.reconcile(tenant, observed: ObservedObjects(), now: Fixtures.now))
        let rendered = JSONValue.array(created.keys.sorted().map { created[$0]! }).prettyString() + "\n"
        let url = Fixtures.golden.appendingPathComponent(file)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(
            rendered == expected, "\(file) differs (UPDATE_GOLDEN=1 rewrites it):\n\(Self.diff(expected, rendered))")
    }

    /// The lines that differ, numbered, for a readable failure.
    static func diff(_ expected: String, _ actual: String) -> String {
        let old = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let new = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var lines: [String] = []
        for index in 0..<max(old.count, new.count) {
            let before = index < old.count ? String(old[index]) : "<none>"
            let after = index < new.count ? String(new[index]) : "<none>"
            if before != after { lines.append("line \(index + 1):\n  - \(before)\n  + \(after)") }
            if lines.count == 20 { break }
        }
        return lines.joined(separator: "\n")
    }
}
