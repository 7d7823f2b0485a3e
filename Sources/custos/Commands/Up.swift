import ArgumentParser
import CustosClients
import CustosPlatform
import CustosServer
import Foundation
import Logging

/// `custos up`.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the whole platform: PostgreSQL, control plane, workers, the pooled gateway and dedicated ones.",
        discussion: """
            On first start it creates the data directory, an embedded PostgreSQL cluster (unless --database-url \
            is given), a platform administrator credential (admin.json, mode 0600), whose path it prints, and the \
            installation identity (installation-id) that makes this installation's ledger origins unique. \
            Tenants on pooled plans are served by the pooled gateway (--gateway-port), each at its own host name \
            <tenant>.<gateway domain> (http://acme.localhost:7000 with curl) or by API key at the shared URL; \
            tenants on dedicated plans get a gateway process of their own. Children are restarted with backoff \
            when they exit; Ctrl-C stops everything cleanly.
            """
    )

    @Option(help: "Data directory (default: CUSTOS_DATA_DIR, /var/lib/custos for root, else ~/.local/share/custos).")
    var dataDir: String?

    @Option(help: "Use this PostgreSQL instead of the embedded one (postgres://user:pass@host:port/db).")
    var databaseURL: String?

    @Option(help: "Address the control plane and gateways bind to.")
    var host: String = "127.0.0.1"

    @Option(help: "Control-plane port (0 picks a free one).")
    var controlPort: Int = 7700

    @Option(help: "The pooled gateway's port (0 picks a free one).")
    var gatewayPort: Int = 7000

    @Option(help: "The domain below which pooled tenants are named: <tenant>.<domain>.")
    var gatewayDomain: String = "localhost"

    @Option(
        help: ArgumentHelp(
            "Requests the pooled gateway works on at once; past it, tenants are let in by turns (0: no bound).",
            valueName: "n"))
    var gatewayConcurrentRequests = 64

    @Option(help: "A plans file to use instead of the shipped Policies/plans.yaml (validated at start).")
    var plans: String?

    @Option(help: "Self-service signups (POST /v1/signup) accepted from one client address in an hour (0: off).")
    var signupsPerAddress = 3

    @Option(help: "Self-service signups accepted in all in an hour (0: off).")
    var signupsPerHour = 100

    @Option(help: "A reverse proxy's network whose X-Forwarded-For names a signup's client address (repeatable).")
    var trustedProxy: [String] = []

    @Option(help: "Log level for every process.", transform: parseLogLevel)
    var logLevel: Logger.Level = .info

    @Option(
        help: ArgumentHelp(
            "A DNS name you control, used by no other installation, that names this installation's ledger logs: "
                + "new tenants' checkpoint origins become <name>/<tenant> (default: <installation "
                + "id>.custos.local/<tenant>); existing ones keep theirs.",
            valueName: "name"),
        transform: InstallationIdentity.validatePublicHost)
    var publicOriginHost: String?

    @OptionGroup(title: "Limits of every process") var limitOptions: LimitOptions

    @Option(help: "Refuse new tenants beyond this many (default: as many as PostgreSQL's max_connections allow).")
    var maxTenants: Int?

    func validate() throws {
        guard (0...100_000).contains(gatewayConcurrentRequests) else {
            throw ValidationError("--gateway-concurrent-requests must be 0 to 100000")
        }
        do { _ = try TrustedProxies(trustedProxy) } catch { throw ValidationError("--trusted-proxy: \(error)") }
    }

    func run() async throws {
        LoggingBootstrap.bootstrap(level: logLevel)
        var configuration = UpConfiguration(
            dataDirectory: DataDirectory.resolve(dataDir), databaseURL: databaseURL, host: host,
            controlPort: controlPort, logLevel: logLevel, publicOriginHost: publicOriginHost)
        configuration.limits = limitOptions.limits
        configuration.maxTenants = maxTenants
        configuration.gatewayPort = gatewayPort
        configuration.signupArguments =
            ["--signups-per-address", String(signupsPerAddress), "--signups-per-hour", String(signupsPerHour)]
            + trustedProxy.flatMap { ["--trusted-proxy", $0] }
        configuration.gatewayDomain = gatewayDomain
        configuration.pooledGatewayArguments = ["--concurrent-requests", String(gatewayConcurrentRequests)]
        if let plans {
            // Checked once here, so a bad file stops `custos up` with its message instead of every child.
            _ = try Control.loadPlans(plans)
            configuration.plansFile = URL(fileURLWithPath: plans).standardizedFileURL.path
        }
        try await PlatformUp.run(configuration, logger: Logger(label: "custos up"))
    }
}
