import CustosCore
import CustosKubernetes
import CustosOperator
import Logging
import ServiceLifecycle

/// The control plane's Kubernetes provisioner: every `interval`, while leading, makes the CustosTenants match
/// the dedicated gateways the control plane wants (``TenantSync``). While the control plane cannot be reached,
/// the CustosTenants stay as they are.
public struct TenantSyncService: Service {
    let client: KubernetesClient
    let controlPlane: any ControlPlane
    let sync: TenantSync
    let leadership: Leadership
    let interval: Duration
    let logger: Logger

    /// A sync service.
    public init(
        client: KubernetesClient, controlPlane: any ControlPlane, leadership: Leadership, interval: Duration,
        logger: Logger
    ) {
        self.client = client
        self.controlPlane = controlPlane
        self.sync = TenantSync(namespace: client.namespace)
        self.leadership = leadership
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await leadership.repeatWhileLeading("tenant sync", logger: logger, afterRound: interval, afterFailure: interval)
        {
            try await syncOnce()
        }
    }

    /// One round: read both sides, carry out the diff. A conflict leaves the rest to the next round.
    public func syncOnce() async throws {
        let desired = try await controlPlane.desiredGateways()
        let existing = try await client.list(.custosTenants).items.compactMap { try? CustosTenant(object: $0) }
        for action in sync.diff(desired: desired, existing: existing) {
            switch action {
            case .create(let object):
                try await client.create(.custosTenants, object)
                logger.info("CustosTenant created", metadata: ["tenant": "\(object["metadata"]?["name"] ?? .null)"])
            case .replace(let object):
                try await client.replace(.custosTenants, object)
                logger.info(
                    "CustosTenant plan changed", metadata: ["tenant": "\(object["metadata"]?["name"] ?? .null)"])
            case .release(let name):
                let patch: JSONValue = ["metadata": ["annotations": [Reconciler.releaseAnnotation: "true"]]]
                try await client.mergePatch(.custosTenants, name: name, patch)
                try await client.delete(.custosTenants, name: name)
                logger.info("CustosTenant released", metadata: ["tenant": "\(name)"])
            }
        }
    }
}
