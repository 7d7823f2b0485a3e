import ArgumentParser
import CustosAuth
import CustosCore
import CustosGateway
import CustosServer

/// `custos gateway`.
struct Gateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run one tenant's REST API gateway.")

    @Option(help: "The tenant this gateway serves.")
    var tenant: String

    @Option(help: "Base URL of the ledger worker.")
    var ledgerURL: String

    @Option(help: "Base URL of the ssi worker.")
    var ssiURL: String

    @Option(help: "Base URL of the streams worker.")
    var streamsURL: String

    @Option(help: "Base URL of the control plane (the tenant's own policies).")
    var controlURL: String

    @OptionGroup var options: ProcessOptions

    func run() async throws {
        let logger = options.logger(role: "gateway")
        guard let tenantID = TenantID(tenant) else { throw ValidationError("invalid tenant id \(tenant)") }
        var configuration = GatewayServer.Configuration(
            tenant: tenantID, port: options.port, host: options.host, token: try ServiceToken.fromEnvironment(),
            database: try options.database(), ledgerURL: ledgerURL, ssiURL: ssiURL,
            streamsURL: streamsURL, controlURL: controlURL)
        configuration.limits = options.limitOptions.limits
        try await ProcessRunner.run(GatewayServer.services(configuration, logger: logger), logger: logger)
    }
}
