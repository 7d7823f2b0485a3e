import ArgumentParser
import CustosKubernetes
import CustosOperator
import CustosOperatorControllers
import Foundation
import Logging
import ServiceLifecycle

/// `custos-operator run`.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Reconcile the namespace's CustosTenants and create them from the control plane's dedicated gateways.",
        discussion: """
            Reads CUSTOS_SERVICE_TOKEN (the control plane's internal API) and, to delete tenants whose \
            CustosTenant is deleted, CUSTOS_ADMIN_TOKEN from the environment. In a pod it finds the API server \
            through KUBERNETES_SERVICE_HOST/PORT and the service account's token, CA and namespace; elsewhere give \
            --kubernetes-url and --kubernetes-token-file. SIGTERM or SIGINT stops it gracefully, giving the Lease up.
            """)

    @Option(help: "The API server's base URL; default: the in-cluster service (KUBERNETES_SERVICE_HOST/PORT).")
    var kubernetesURL: String?

    @Option(
        help: ArgumentHelp(
            "A file holding the bearer token for --kubernetes-url (never the token itself); default in a pod: the "
                + "service account's.", valueName: "file"))
    var kubernetesTokenFile: String?

    @Option(
        help: ArgumentHelp("PEM certificate authorities of the API server, for --kubernetes-url.", valueName: "file"))
    var kubernetesCAFile: String?

    @Option(help: "The namespace to manage; default: the service account's.")
    var namespace: String?

    @OptionGroup var template: TemplateOption

    @Option(help: "Base URL of the control plane (its internal API; its admin API for deletions).")
    var controlURL: String

    @Option(help: ArgumentHelp("Every CustosTenant is reconciled again at least this often.", valueName: "seconds"))
    var resyncSeconds = 60

    @Option(help: ArgumentHelp("How often the control plane's dedicated gateways are read.", valueName: "seconds"))
    var syncIntervalSeconds = 30

    @Option(help: "The Lease (coordination.k8s.io/v1) the replicas elect their leader with.")
    var leaseName = "custos-operator"

    @Option(help: ArgumentHelp("How long a leader's claim lasts after its last renewal.", valueName: "seconds"))
    var leaseDurationSeconds = 15

    @Option(help: "This replica's name in the Lease; default: HOSTNAME (the pod name).")
    var identity: String?

    @Flag(help: "Lead without a Lease (a single replica, or a test server without Leases).")
    var withoutLeaderElection = false

    @Flag(help: "Do not create CustosTenants from the control plane; only reconcile those that exist.")
    var withoutTenantSync = false

    @Option(help: "trace, debug, info, notice, warning, error or critical; default: CUSTOS_LOG_LEVEL or info.")
    var logLevel: String?

    func validate() throws {
        guard (5...3600).contains(resyncSeconds) else { throw ValidationError("--resync-seconds must be 5 to 3600") }
        guard (1...3600).contains(syncIntervalSeconds) else {
            throw ValidationError("--sync-interval-seconds must be 1 to 3600")
        }
        guard (3...300).contains(leaseDurationSeconds) else {
            throw ValidationError("--lease-duration-seconds must be 3 to 300")
        }
        if kubernetesURL == nil && (kubernetesTokenFile != nil || kubernetesCAFile != nil) {
            throw ValidationError("--kubernetes-token-file and --kubernetes-ca-file go with --kubernetes-url")
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let level = (logLevel ?? environment["CUSTOS_LOG_LEVEL"]).flatMap { Logger.Level(rawValue: $0) } ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "custos-operator")
        guard let serviceToken = environment["CUSTOS_SERVICE_TOKEN"], !serviceToken.isEmpty else {
            throw ValidationError("CUSTOS_SERVICE_TOKEN is not set")
        }
        let configuration: KubernetesConfiguration
        if let kubernetesURL {
            configuration = KubernetesConfiguration(
                baseURL: kubernetesURL, tokenFile: kubernetesTokenFile, caFile: kubernetesCAFile,
                namespace: namespace ?? "default")
        } else {
            configuration = try KubernetesConfiguration.inCluster(namespace: namespace)
        }
        let client = try KubernetesClient(configuration: configuration)
        let adminToken = environment["CUSTOS_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if adminToken == nil {
            logger.warning("CUSTOS_ADMIN_TOKEN is not set: deleted CustosTenants keep their finalizer")
        }
        let controlPlane = CustosControlPlane(baseURL: controlURL, serviceToken: serviceToken, adminToken: adminToken)
        let reconciler = Reconciler(
            manifests: GatewayManifests(template: try template.load(), namespace: configuration.namespace))
        let leadership = Leadership(leader: withoutLeaderElection)
        var services: [any Service] = []
        if !withoutLeaderElection {
            let name = identity ?? environment["HOSTNAME"] ?? "custos-operator-\(UUID().uuidString.prefix(8))"
            services.append(
                LeaderElector(
                    client: client,
                    election: LeaderElection(identity: name, leaseDurationSeconds: leaseDurationSeconds),
                    leaseName: leaseName, leadership: leadership, logger: logger))
        }
        services.append(
            TenantController(
                client: client, reconciler: reconciler, controlPlane: controlPlane, leadership: leadership,
                resync: .seconds(resyncSeconds), logger: logger))
        if !withoutTenantSync {
            services.append(
                TenantSyncService(
                    client: client, controlPlane: controlPlane, leadership: leadership,
                    interval: .seconds(syncIntervalSeconds), logger: logger))
        }
        logger.notice(
            "custos-operator", metadata: ["namespace": "\(configuration.namespace)", "api": "\(configuration.baseURL)"])
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
