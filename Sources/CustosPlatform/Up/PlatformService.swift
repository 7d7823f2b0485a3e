import CustosAuth
import CustosClients
import CustosServer
import CustosStore
import Foundation
import Logging
import ServiceLifecycle

/// The supervising service of `custos up`: starts the workers and the control plane, runs the gateway
/// reconciler, and on shutdown stops every child before returning.
struct PlatformService: Service {
    let configuration: UpConfiguration
    let database: DatabaseConfiguration
    let token: ServiceToken
    let masterKey: MasterKey
    /// The administrator token the control plane registers.
    let administrator: SecretToken
    /// The key the control plane signs the platform audit's records with.
    let auditSigningKey: PlatformAuditSigningKey
    /// The key the audit is handed over from, while it is rotated.
    let previousAuditSigningKey: PlatformAuditSigningKey?
    let controlPort: Int
    let logger: Logger

    func run() async throws {
        let supervisor = Supervisor(executable: Supervisor.currentExecutable(), logger: logger)
        let secrets = ChildSecrets(
            database: database, token: token, masterKey: masterKey, administrator: administrator,
            auditSigningKey: auditSigningKey, previousAuditSigningKey: previousAuditSigningKey)
        let common = ["CUSTOS_LOG_LEVEL": configuration.logLevel.rawValue]
        let limits = configuration.limits.commandLineArguments
        let (ledgerPort, streamsPort, ssiPort) = (try FreePort.find(), try FreePort.find(), try FreePort.find())
        let ledgerURL = "http://127.0.0.1:\(ledgerPort)"
        let ssiURL = "http://127.0.0.1:\(ssiPort)"
        let streamsURL = "http://127.0.0.1:\(streamsPort)"
        let controlURL = "http://\(configuration.host):\(controlPort)"
        let gatewayPort = configuration.gatewayPort == 0 ? try FreePort.find() : configuration.gatewayPort
        let gatewayURL = "http://\(configuration.host):\(gatewayPort)"
        let plans = configuration.plansFile.map { ["--plans", $0] } ?? []
        let children: [(ChildSpec, String)] = [
            (
                worker("ledger", port: ledgerPort, common.merging(secrets.ledgerWorker) { $1 })
                    .appending(configuration.ledgerWorkerArguments + limits), ledgerURL
            ),
            (
                worker("streams", port: streamsPort, common.merging(secrets.streamsWorker) { $1 })
                    .appending(["--ledger-url", ledgerURL, "--ssi-url", ssiURL] + limits), streamsURL
            ),
            (
                worker("ssi", port: ssiPort, common.merging(secrets.ssiWorker) { $1 })
                    .appending(["--ledger-url", ledgerURL] + limits), ssiURL
            ),
            (
                ChildSpec(
                    name: "control",
                    arguments: [
                        "control", "--port", String(controlPort), "--host", configuration.host, "--ledger-url",
                        ledgerURL, "--ssi-url", ssiURL, "--streams-url", streamsURL, "--public-host",
                        configuration.host,
                        "--pooled-gateway-url", "http://{tenant}.\(configuration.gatewayDomain):\(gatewayPort)",
                        "--shared-gateway-url", gatewayURL,
                    ] + plans + configuration.signupArguments + limits
                        + (configuration.maxTenants.map { ["--max-tenants", String($0)] } ?? []),
                    environment: common.merging(secrets.controlPlane) { $1 }), controlURL
            ),
            (
                ChildSpec(
                    name: "pooled gateway",
                    arguments: [
                        "gateway", "--pooled", "--domain", configuration.gatewayDomain, "--port", String(gatewayPort),
                        "--host", configuration.host, "--ledger-url", ledgerURL, "--ssi-url", ssiURL, "--streams-url",
                        streamsURL, "--control-url", controlURL,
                    ] + plans + configuration.pooledGatewayArguments + limits,
                    environment: common.merging(secrets.gateway) { $1 }), gatewayURL
            ),
        ]
        for (spec, _) in children {
            // The gateway reads the control plane's tables, which the control plane creates as it starts.
            if spec.name == "pooled gateway", !(await HealthProbe.waitUntilReady(controlURL, timeout: .seconds(60))) {
                logger.error("the control plane is not ready after 60 s; starting the pooled gateway anyway")
            }
            await supervisor.start(spec)
        }
        let reconciler = GatewayReconciler(
            control: ControlInternalClient(baseURL: controlURL, serviceToken: token.secret, timeout: .seconds(2)),
            supervisor: supervisor, host: configuration.host, ledgerURL: ledgerURL, ssiURL: ssiURL,
            streamsURL: streamsURL,
            controlURL: controlURL,
            sharedArguments: plans + limits,
            environment: common.merging(secrets.gateway) { $1 }, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for (spec, url) in children where !(await HealthProbe.waitUntilReady(url, timeout: .seconds(60))) {
                    logger.error("not ready after 60 s", metadata: ["child": "\(spec.name)"])
                }
                printSummary(
                    controlURL: controlURL, gatewayURL: gatewayURL, ledgerURL: ledgerURL, ssiURL: ssiURL,
                    streamsURL: streamsURL)
            }
            group.addTask { await reconciler.run() }
            // Returns when SIGINT/SIGTERM starts the graceful shutdown (or the task is cancelled).
            try? await gracefulShutdown()
            logger.info("shutting down")
            group.cancelAll()
        }
        await supervisor.stopAll()
        logger.info("all processes stopped")
    }

    private func worker(_ kind: String, port: Int, _ environment: [String: String]) -> ChildSpec {
        ChildSpec(
            name: "worker \(kind)", arguments: ["worker", kind, "--port", String(port)], environment: environment)
    }

    private func printSummary(
        controlURL: String, gatewayURL: String, ledgerURL: String, ssiURL: String, streamsURL: String
    ) {
        let directory = configuration.dataDirectory
        let text = """

            Custos is up.
              control plane      \(controlURL)
              pooled gateway     \(gatewayURL) (tenants at http://<tenant>.\(configuration.gatewayDomain):\(
                  gatewayURL.split(separator: ":").last ?? ""))
              admin credential   \(directory.adminCredentialFile.path)
              database           \(database)
              ledger worker      \(ledgerURL)
              ssi worker         \(ssiURL)
              streams worker     \(streamsURL)
            Create a tenant:     custosctl tenants create acme --data-dir \(directory.url.path)
            Stop with Ctrl-C.

            """
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
