import CustosCore
import CustosKubernetes
import CustosOperator
import Foundation
import Logging
import ServiceLifecycle

/// Reconciles every CustosTenant of the namespace: on each watch event of the CustosTenants and of the
/// dedicated gateways' Deployments, and for all of them at every resync (which also catches drift of the
/// Services and Ingresses, which are not watched).
public struct TenantController: Service {
    let client: KubernetesClient
    let reconciler: Reconciler
    let controlPlane: any ControlPlane
    let leadership: Leadership
    let resync: Duration
    let logger: Logger
    /// How often one tenant is tried again after conflicts before waiting for the next event.
    static let attempts = 5

    /// A controller.
    public init(
        client: KubernetesClient, reconciler: Reconciler, controlPlane: any ControlPlane, leadership: Leadership,
        resync: Duration, logger: Logger
    ) {
        self.client = client
        self.reconciler = reconciler
        self.controlPlane = controlPlane
        self.leadership = leadership
        self.resync = resync
        self.logger = logger
    }

    public func run() async throws {
        // A round ends with its resync period; after a failure, the next waits a little.
        await leadership.repeatWhileLeading(
            "tenant controller", logger: logger, afterRound: nil, afterFailure: .seconds(2)
        ) {
            try await resyncAndWatch()
        }
    }

    /// Lists and reconciles every CustosTenant, then follows both watches until the resync period ends.
    func resyncAndWatch() async throws {
        let list = try await client.list(.custosTenants)
        for item in list.items {
            if let name = item["metadata"]?["name"]?.stringValue { await reconcile(name: name) }
        }
        let seconds = Int(resync.components.seconds)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await client.watch(.custosTenants, resourceVersion: list.resourceVersion, timeoutSeconds: seconds) {
                    event in
                    guard event.kind != .bookmark, event.kind != .error else { return }
                    if let name = event.object["metadata"]?["name"]?.stringValue { await reconcile(name: name) }
                }
            }
            group.addTask {
                let selector = "app.kubernetes.io/component=\(GatewayManifests.component)"
                try await client.watch(
                    .deployments, resourceVersion: nil, timeoutSeconds: seconds, labelSelector: selector
                ) { event in
                    if let tenant = event.object["metadata"]?["labels"]?[GatewayManifests.tenantLabel]?.stringValue {
                        await reconcile(name: tenant)
                    }
                }
            }
            // Either watch ending starts the next resync.
            try await group.next()
            group.cancelAll()
        }
    }

    /// Reconciles the CustosTenant `name` until its actions have all been carried out, reading everything again
    /// after a conflict. Failures are logged; the next event or resync tries again.
    public func reconcile(name: String) async {
        for attempt in 1...Self.attempts {
            do {
                try await reconcileOnce(name: name)
                return
            } catch let error as KubernetesError {
                if case .conflict = error, attempt < Self.attempts {
                    logger.debug("conflict, reading again", metadata: ["tenant": "\(name)", "attempt": "\(attempt)"])
                    continue
                }
                logger.warning("reconcile", metadata: ["tenant": "\(name)", "error": "\(error)"])
                return
            } catch {
                logger.warning("reconcile", metadata: ["tenant": "\(name)", "error": "\(error)"])
                return
            }
        }
    }

    /// One pass: read the CustosTenant and its objects, carry out what the reconciler decides. Throws the
    /// first failure (a ``KubernetesError/conflict(path:message:)`` among them).
    public func reconcileOnce(name: String) async throws {
        guard let object = try await client.get(.custosTenants, name: name) else { return }
        let tenant = try CustosTenant(object: object)
        var observed = ObservedObjects()
        if case .success(let id) = reconciler.validate(tenant) {
            for kind in GatewayObjectKind.allCases {
                observed[kind] = try await client.get(.of(kind), name: reconciler.manifests.name(id))
            }
        }
        for action in reconciler.reconcile(tenant, observed: observed, now: Date()) {
            try await perform(action, on: tenant)
        }
    }

    func perform(_ action: ReconcileAction, on tenant: CustosTenant) async throws {
        switch action {
        case .create(let kind, let object):
            try await client.create(.of(kind), object)
            logger.info("created", metadata: ["tenant": "\(tenant.name)", "kind": "\(kind.rawValue)"])
        case .replace(let kind, let object):
            try await client.replace(.of(kind), object)
            logger.info("updated", metadata: ["tenant": "\(tenant.name)", "kind": "\(kind.rawValue)"])
        case .delete(let kind, let name):
            try await client.delete(.of(kind), name: name)
            logger.info("deleted", metadata: ["tenant": "\(tenant.name)", "kind": "\(kind.rawValue)"])
        case .addFinalizer:
            try await client.replace(
                .custosTenants, tenant.replacingFinalizers(tenant.finalizers + [Reconciler.finalizer]))
        case .removeFinalizer:
            try await client.replace(
                .custosTenants, tenant.replacingFinalizers(tenant.finalizers.filter { $0 != Reconciler.finalizer }))
            logger.info("released", metadata: ["tenant": "\(tenant.name)"])
        case .deleteTenantInControlPlane(let id):
            switch try await controlPlane.deleteTenant(id) {
            case .finished:
                logger.notice("tenant deleted in the control plane", metadata: ["tenant": "\(id.rawValue)"])
            case .pending(let reason):
                throw ControllerError.deletionPending(tenant: id.rawValue, reason: reason)
            }
        case .patchStatus(let status):
            try await client.mergePatch(.custosTenants, name: tenant.name, subresource: "status", status.patch)
        }
    }
}
