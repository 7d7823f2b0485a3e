import ArgumentParser
import CustosAuth
import CustosCore
import CustosGateway
import CustosServer

/// `custos gateway`.
struct Gateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a tenant REST API gateway: one tenant's (--tenant) or the pooled tenants' (--pooled).",
        discussion: """
            A pooled gateway serves every tenant of the pooled plans. A request names its tenant by host name, \
            <tenant>.<domain> (--domain, by default localhost: http://acme.localhost:7000 with curl), or, where no \
            host name can be used, by its API key alone.
            """)

    @Option(help: "The tenant this gateway serves (a dedicated gateway).")
    var tenant: String?

    @Flag(help: "Serve every pooled tenant, routed by host name or API key.")
    var pooled = false

    @Option(help: "The domain below which a pooled gateway's tenants are named (<tenant>.<domain>).")
    var domain = "localhost"

    @Option(help: "Base URL of the ledger worker.")
    var ledgerURL: String

    @Option(help: "Base URL of the ssi worker.")
    var ssiURL: String

    @Option(help: "Base URL of the streams worker.")
    var streamsURL: String

    @Option(help: "Base URL of the control plane (the tenant's own policies).")
    var controlURL: String

    @Option(help: "The control plane's plans file, if not the shipped Policies/plans.yaml (rate limits, quotas).")
    var plans: String?

    @Option(
        help: ArgumentHelp(
            "Requests a pooled gateway works on at once; past it, tenants are let in by turns, one request each "
                + "(0: no bound).", valueName: "n"))
    var concurrentRequests = 64

    @OptionGroup var options: ProcessOptions

    func run() async throws {
        let logger = options.logger(role: "gateway")
        var configuration = GatewayServer.Configuration(
            tenancy: try tenancy(), port: options.port, host: options.host, token: try ServiceToken.fromEnvironment(),
            database: try options.database(), ledgerURL: ledgerURL, ssiURL: ssiURL,
            streamsURL: streamsURL, controlURL: controlURL)
        configuration.limits = options.limitOptions.limits
        configuration.plans = try Control.loadPlans(plans)
        configuration.concurrentRequests = concurrentRequests > 0 ? concurrentRequests : nil
        try await ProcessRunner.run(GatewayServer.services(configuration, logger: logger), logger: logger)
    }

    func validate() throws {
        guard (0...100_000).contains(concurrentRequests) else {
            throw ValidationError("--concurrent-requests must be 0 to 100000")
        }
    }

    func tenancy() throws -> GatewayTenancy {
        switch (tenant, pooled) {
        case (let tenant?, false):
            guard let id = TenantID(tenant) else { throw ValidationError("invalid tenant id \(tenant)") }
            return .dedicated(id)
        case (nil, true):
            guard !domain.isEmpty, !domain.hasPrefix("."), !domain.contains(":") else {
                throw ValidationError("--domain must be a host name such as localhost or gw.example.com")
            }
            return .pooled(domain: domain)
        default: throw ValidationError("give either --tenant <id> or --pooled")
        }
    }
}
