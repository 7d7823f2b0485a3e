import ArgumentParser
import CustosClients
import Foundation

/// `custosctl login URL`.
struct Login: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Save a control-plane URL and administrator token for later commands.",
        discussion: """
            The token is read from CUSTOS_ADMIN_TOKEN or, when that is unset, from standard input, so it never \
            appears in the shell history or the process list. It is checked against the control plane before it \
            is saved (mode 0600).
            """
    )

    @Argument(help: "The control plane's base URL, e.g. http://127.0.0.1:7700.")
    var url: String

    func run() async throws {
        let token: String
        if let fromEnvironment = ProcessInfo.processInfo.environment["CUSTOS_ADMIN_TOKEN"] {
            token = fromEnvironment
        } else {
            FileHandle.standardError.write(Data("administrator token: ".utf8))
            token = readLine(strippingNewline: true) ?? ""
        }
        let credential = AdminCredential(controlUrl: url, token: token.trimmingCharacters(in: .whitespaces))
        _ = try await ControlClient(baseURL: url, adminToken: credential.token).tenants()
        let file = AdminConnection.loginFile
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        try DataDirectory(url: file.deletingLastPathComponent()).writeSecret(try credential.encoded(), to: file)
        print("logged in to \(url); credential saved to \(file.path)")
    }
}
