import ArgumentParser
import CustosClients
import Foundation

/// Options that locate the control plane and the administrator credential.
struct AdminConnection: ParsableArguments {
    @Option(help: "Data directory of `custos up` holding admin.json (default: CUSTOS_DATA_DIR, login, default dir).")
    var dataDir: String?

    @OptionGroup var format: OutputOptions

    /// Whether to print structured data (JSON or YAML) rather than text.
    var json: Bool { format.json }

    /// The saved login, `~/.config/custos/credentials.json` (or under XDG_CONFIG_HOME).
    static var loginFile: URL {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return base.appendingPathComponent("custos/credentials.json")
    }

    func credential() throws -> AdminCredential {
        let environment = ProcessInfo.processInfo.environment
        if let url = environment["CUSTOS_CONTROL_URL"], let token = environment["CUSTOS_ADMIN_TOKEN"] {
            return AdminCredential(controlUrl: url, token: token)
        }
        if dataDir != nil || environment["CUSTOS_DATA_DIR"] != nil {
            return try AdminCredential.read(from: DataDirectory.resolve(dataDir).adminCredentialFile)
        }
        if FileManager.default.fileExists(atPath: Self.loginFile.path) {
            return try AdminCredential.read(from: Self.loginFile)
        }
        return try AdminCredential.read(from: DataDirectory.resolve(nil).adminCredentialFile)
    }

    func client() throws -> ControlClient {
        let credential = try credential()
        return ControlClient(baseURL: credential.controlUrl, adminToken: credential.token)
    }

    /// Prints a value as sorted JSON (or, with `-o yaml`, the same document as YAML), times as RFC 3339.
    func printJSON(_ value: some Encodable) throws { try format.printJSON(value) }

    /// A time as RFC 3339, as the API sends it.
    static func timestamp(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
