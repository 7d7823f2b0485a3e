import ArgumentParser
import CustosAuth
import CustosControl
import CustosServer

/// `custos control`.
struct Control: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the control plane (tenants, API keys, provisioning).")

    @OptionGroup var options: ProcessOptions

    @Option(help: "Base URL of the ledger worker.")
    var ledgerURL: String

    @Option(help: "Base URL of the ssi worker.")
    var ssiURL: String

    @Option(help: "Host name integrators use to reach gateways.")
    var publicHost: String = "127.0.0.1"

    @Option(help: "Refuse new tenants beyond this many (default: as many as PostgreSQL's max_connections allow).")
    var maxTenants: Int?

    func run() async throws {
        let logger = options.logger(role: "control")
        var configuration = ControlServer.Configuration(
            port: options.port, host: options.host, token: try ServiceToken.fromEnvironment(),
            database: try options.database(), ledgerURL: ledgerURL, ssiURL: ssiURL,
            publicHost: publicHost)
        configuration.limits = options.limitOptions.limits
        configuration.maxTenants = maxTenants
        try await ProcessRunner.run(ControlServer.services(configuration, logger: logger), logger: logger)
    }
}
