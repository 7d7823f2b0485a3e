import CustosCore

/// The control plane's Kubernetes provisioner, as a pure diff: from the dedicated gateways the control plane
/// wants to the CustosTenants that make them run.
///
/// It runs in the operator process against the control plane's internal API rather than in the control plane, so
/// that the control plane needs no Kubernetes client and no Kubernetes credentials. It only touches CustosTenants
/// it made (label ``managedLabel``); replicas and resources set by hand on them are kept, only the plan follows the
/// control plane.
public struct TenantSync: Sendable {
    /// The label on CustosTenants the sync made.
    public static let managedLabel = "custos.dev/provisioned-by"
    /// Its value.
    public static let managedValue = "control-plane"

    /// The namespace of the CustosTenants.
    public let namespace: String

    /// A sync for `namespace`.
    public init(namespace: String) {
        self.namespace = namespace
    }

    /// The actions that make `existing` (the CustosTenants of the namespace) match `desired`.
    public func diff(desired: [DesiredGateway], existing: [CustosTenant]) -> [SyncAction] {
        var actions: [SyncAction] = []
        let byName = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for gateway in desired.sorted(by: { $0.tenant.rawValue < $1.tenant.rawValue }) {
            let name = gateway.tenant.rawValue
            guard let current = byName[name] else {
                let spec = CustosTenantSpec(tenantId: name, plan: gateway.plan)
                actions.append(
                    .create(
                        CustosTenant.newObject(
                            name: name, namespace: namespace, spec: spec,
                            labels: [Self.managedLabel: Self.managedValue])))
                continue
            }
            // A CustosTenant being deleted is left to finish; one made by hand for this tenant is not taken over.
            guard !current.isDeleting, current.labels[Self.managedLabel] == Self.managedValue else { continue }
            if current.spec.plan != gateway.plan || current.spec.tenantId != name {
                let spec = (current.object["spec"] ?? .object([:]))
                    .setting("tenantId", to: .string(name)).setting("plan", to: .string(gateway.plan))
                actions.append(.replace(current.object.setting("spec", to: spec)))
            }
        }
        let wanted = Set(desired.map(\.tenant.rawValue))
        for tenant in existing.sorted(by: { $0.name < $1.name })
        where !wanted.contains(tenant.name) && !tenant.isDeleting
            && tenant.labels[Self.managedLabel] == Self.managedValue
        {
            actions.append(.release(name: tenant.name))
        }
        return actions
    }
}
