import CustosClients
import Logging

/// The local provisioner: runs one gateway process per active tenant, as the control plane asks.
///
/// It polls the control plane's desired gateways; while the control plane is down (restarting), the
/// running gateways stay as they are.
struct GatewayReconciler: Sendable {
    let control: ControlInternalClient
    let supervisor: Supervisor
    let host: String
    let ledgerURL: String
    let ssiURL: String
    let streamsURL: String
    let controlURL: String
    /// Arguments every gateway gets: the plans file and the limits of every process.
    let sharedArguments: [String]
    let environment: [String: String]
    let logger: Logger
    var interval: Duration = .milliseconds(250)

    func spec(for gateway: ControlAPI.Gateway) -> ChildSpec {
        ChildSpec(
            name: "gateway \(gateway.tenant)",
            arguments: [
                "gateway", "--tenant", gateway.tenant, "--port", String(gateway.port), "--host", host,
                "--ledger-url", ledgerURL, "--ssi-url", ssiURL, "--streams-url", streamsURL, "--control-url",
                controlURL,
            ] + sharedArguments,
            environment: environment)
    }

    func run() async {
        var announced: Set<ControlAPI.Gateway> = []
        while !Task.isCancelled {
            if let gateways = try? await control.gateways() {
                let desired = Set(gateways)
                let current = await supervisor.specs.filter { $0.name.hasPrefix("gateway ") }
                let desiredSpecs = Set(desired.map(spec))
                for spec in desiredSpecs.subtracting(current) { await supervisor.start(spec) }
                for spec in current.subtracting(desiredSpecs) { await supervisor.stop(spec) }
                for gateway in desired.subtracting(announced) {
                    logger.info(
                        "gateway", metadata: ["tenant": "\(gateway.tenant)", "url": "http://\(host):\(gateway.port)"])
                }
                announced = desired
            }
            try? await Task.sleep(for: interval)
        }
    }
}
