import ArgumentParser
import CustosClients
import Foundation

/// `-o table|json|yaml` and `--json`: how a command prints what it got. Every command that takes them honours
/// them; with json or yaml a command prints one document.
struct OutputOptions: ParsableArguments {
    /// How a command prints what it got.
    enum Output: String, ExpressibleByArgument, CaseIterable {
        case table, json, yaml
    }

    @Flag(name: .customLong("json"), help: "Print JSON instead of text (the same as -o json).")
    var jsonFlag = false

    @Option(name: [.customShort("o"), .customLong("output")], help: "Print as table (text), json or yaml.")
    var output: Output = .table

    /// Whether to print structured data (JSON or YAML) rather than text.
    var json: Bool { jsonFlag || output != .table }

    /// Prints a value as sorted JSON (or, with `-o yaml`, the same document as YAML), times as RFC 3339.
    func printJSON(_ value: some Encodable) throws {
        let encoder = JSONCoding.encoder
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        guard output == .yaml, !jsonFlag else { return Swift.print(String(decoding: data, as: UTF8.self)) }
        Swift.print(try YAMLOutput.render(Array(data)), terminator: "")
    }

    /// Prints `text` as it is, or, structured, `value`.
    func print(_ text: @autoclosure () -> String, or value: some Encodable) throws {
        if json { try printJSON(value) } else { Swift.print(text()) }
    }
}
