import CustosPolicy
import Foundation

/// The repository's `Policies/` directory: the schema and the base policies, as shipped.
enum ShippedPolicies {
    static let directory: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Policies")

    static func read(_ relative: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(relative), encoding: .utf8)
    }

    static var schemaText: String { get throws { try read("schema.cedarschema") } }

    /// The base policy files, in name order.
    static var baseFiles: [String] {
        get throws {
            try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("base").path)
                .filter { $0.hasSuffix(".cedar") }.sorted()
        }
    }

    /// All base policies concatenated into one text, as cedarpy reads them.
    static var baseText: String {
        get throws { try baseFiles.map { try read("base/\($0)") }.joined(separator: "\n") }
    }

    static var schema: Schema { get throws { try Schema(parsing: try schemaText) } }

    static var policies: PolicySet { get throws { try PolicySet(parsing: try baseText) } }
}
