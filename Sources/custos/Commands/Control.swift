import ArgumentParser
import CustosAuth
import CustosClients
import CustosControl
import CustosPolicy
import CustosServer
import Foundation

/// `custos control`.
struct Control: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the control plane (tenants, API keys, provisioning).",
        discussion: """
            Reads CUSTOS_DATABASE_URL and CUSTOS_SERVICE_TOKEN from the environment, CUSTOS_ADMIN_TOKEN, an \
            administrator token it registers at start (`custos admin-token` makes one; `custos up` passes its own), \
            and CUSTOS_AUDIT_SIGNING_KEY, the key the platform audit's records are signed with (`custos \
            audit-signing-key` makes one; `custos up` keeps its own; without it the records are unsigned). To rotate \
            that key, start it with the new key in CUSTOS_AUDIT_SIGNING_KEY and the old one in \
            CUSTOS_AUDIT_SIGNING_KEY_PREVIOUS: it records, signed by the old key, that the new one signs what \
            follows; the old key can go once that record is in the audit (docs/operations.md).
            """)

    @OptionGroup var options: ProcessOptions

    @Option(help: "Base URL of the ledger worker.")
    var ledgerURL: String

    @Option(help: "Base URL of the ssi worker.")
    var ssiURL: String

    @Option(help: "Base URL of the streams worker (erasing deleted tenants' channels).")
    var streamsURL: String = "http://127.0.0.1:7102"

    @Option(help: "Host name integrators use to reach dedicated gateways.")
    var publicHost: String = "127.0.0.1"

    @Option(help: "A pooled tenant's URL, {tenant} standing for its id.")
    var pooledGatewayURL: String = "http://{tenant}.localhost:7000"

    @Option(help: "The pooled gateways' URL without a tenant's host name (the API key names the tenant).")
    var sharedGatewayURL: String = "http://127.0.0.1:7000"

    @Option(
        help: """
            Where dedicated gateways run elsewhere (custos-operator on Kubernetes): a dedicated tenant's URL, {tenant} \
            standing for its id (default: http://<public-host>:<port>, a process of custos up).
            """)
    var dedicatedGatewayURL: String?

    @Option(
        help: """
            Where the control plane checks that a dedicated tenant's gateway is ready, {tenant} standing for its id, \
            such as the operator's Service http://custos-gw-{tenant}:7000 (default: http://127.0.0.1:<port>).
            """)
    var dedicatedGatewayProbeURL: String?

    @Option(help: "How long a plan change or creation waits for a dedicated gateway to become ready, in seconds.")
    var dedicatedGatewayReadySeconds = 20

    @Option(help: "A plans file to use instead of the shipped Policies/plans.yaml.")
    var plans: String?

    @Option(help: "Self-service signups (POST /v1/signup) accepted from one client address in an hour.")
    var signupsPerAddress = 3

    @Option(help: "Self-service signups accepted in all in an hour (0 turns signup off).")
    var signupsPerHour = 100

    @Option(
        help: """
            A proxy network (such as the ingress controller's pods, 10.0.0.0/8) whose X-Forwarded-For names a \
            signup's client address; repeat for several. Without one, every signup through an ingress counts \
            against the ingress's own address.
            """)
    var trustedProxy: [String] = []

    @Option(help: "Refuse new tenants beyond this many (default: as many as PostgreSQL's max_connections allow).")
    var maxTenants: Int?

    func validate() throws {
        let templates = [
            ("--dedicated-gateway-url", dedicatedGatewayURL),
            ("--dedicated-gateway-probe-url", dedicatedGatewayProbeURL),
        ]
        for (name, value) in templates {
            guard let value else { continue }
            guard value.contains("{tenant}"), value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw ValidationError(
                    "\(name) must be an http(s) URL containing {tenant}, such as https://{tenant}.gw.example.com")
            }
        }
        do { _ = try TrustedProxies(trustedProxy) } catch { throw ValidationError("--trusted-proxy: \(error)") }
        guard (1...3600).contains(dedicatedGatewayReadySeconds) else {
            throw ValidationError("--dedicated-gateway-ready-seconds must be between 1 and 3600")
        }
    }

    func run() async throws {
        let logger = options.logger(role: "control")
        var addresses = GatewayAddresses(
            publicHost: publicHost, pooledTemplate: pooledGatewayURL, shared: sharedGatewayURL)
        addresses.dedicatedTemplate = dedicatedGatewayURL
        addresses.dedicatedProbeTemplate = dedicatedGatewayProbeURL
        var configuration = ControlServer.Configuration(
            port: options.port, host: options.host, token: try ServiceToken.fromEnvironment(),
            database: try options.database(), ledgerURL: ledgerURL, ssiURL: ssiURL,
            addresses: addresses)
        configuration.dedicatedGatewayReadyTimeout = .seconds(dedicatedGatewayReadySeconds)
        configuration.plans = try Self.loadPlans(plans)
        if let text = ProcessInfo.processInfo.environment[SecretToken.administratorEnvironmentKey] {
            do { configuration.administrators = [try SecretToken(parsing: text, as: .adminToken)] } catch {
                throw ValidationError(
                    "\(SecretToken.administratorEnvironmentKey) is not an administrator token (csa_...); "
                        + "make one with `custos admin-token`")
            }
        }
        if let text = ProcessInfo.processInfo.environment[PlatformAuditSigningKey.environmentKey] {
            do { configuration.auditSigningKey = try PlatformAuditSigningKey(encoded: text) } catch {
                throw ValidationError("\(PlatformAuditSigningKey.environmentKey): \(error)")
            }
        } else {
            logger.warning(
                "the platform audit's records are not signed: CUSTOS_AUDIT_SIGNING_KEY is not set (custos audit-signing-key makes one)"
            )
        }
        if let text = ProcessInfo.processInfo.environment[PlatformAuditSigningKey.previousEnvironmentKey] {
            guard configuration.auditSigningKey != nil else {
                throw ValidationError(
                    "\(PlatformAuditSigningKey.previousEnvironmentKey) is set without "
                        + "\(PlatformAuditSigningKey.environmentKey): a rotation needs the key it hands over to")
            }
            do { configuration.previousAuditSigningKey = try PlatformAuditSigningKey(encoded: text) } catch {
                throw ValidationError("\(PlatformAuditSigningKey.previousEnvironmentKey): \(error)")
            }
        }
        configuration.streamsURL = streamsURL
        configuration.limits = options.limitOptions.limits
        configuration.maxTenants = maxTenants
        configuration.signupsPerAddress = signupsPerAddress
        configuration.signupsPerHour = signupsPerHour
        configuration.trustedProxies = try TrustedProxies(trustedProxy)
        try await ProcessRunner.run(ControlServer.services(configuration, logger: logger), logger: logger)
    }

    /// The plans of `path`, validated, or the shipped ones.
    static func loadPlans(_ path: String?) throws -> PlanCatalog {
        guard let path else { return .shipped }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read the plans file \(path)")
        }
        do { return try PlanCatalog(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw ValidationError("the plans file \(path) does not validate: \(error)")
        }
    }
}
