import CustosCore
import Foundation

/// Turns one CustosTenant and what exists under its objects' names into the actions that make them agree.
///
/// Pure: no I/O, no clock (the time is passed in). The controller reads, calls ``reconcile(_:observed:now:)``,
/// and carries out the actions; any change (a watch event, a conflict, the resync) starts that again.
public struct Reconciler: Sendable {
    /// The finalizer that holds a CustosTenant's deletion until the control plane has deleted the tenant.
    public static let finalizer = "custos.dev/tenant-deletion"
    /// An annotation the tenant sync sets to `"true"` before deleting a CustosTenant whose tenant the control
    /// plane no longer lists (deleted, or moved to a pooled plan): the deletion then removes the gateway only,
    /// without asking the control plane to delete the tenant.
    public static let releaseAnnotation = "custos.dev/release"

    /// The objects' shapes.
    public let manifests: GatewayManifests

    /// A reconciler making `manifests`.
    public init(manifests: GatewayManifests) {
        self.manifests = manifests
    }

    /// The actions that bring `observed` to what `tenant` asks for, and its status up to date.
    public func reconcile(_ tenant: CustosTenant, observed: ObservedObjects, now: Date) -> [ReconcileAction] {
        if tenant.isDeleting { return deletion(tenant) }
        let id: TenantID
        switch validate(tenant) {
        case .failure(let refusal):
            return statusActions(
                tenant, ready: false, reason: "InvalidSpec", message: refusal.message, url: nil, now: now)
        case .success(let valid):
            id = valid
        }
        // Objects under our names that this CustosTenant does not control are someone else's: touch nothing.
        for kind in GatewayObjectKind.allCases {
            guard let object = observed[kind], !isControlled(object, by: tenant) else { continue }
            let message = "\(kind.rawValue) \(manifests.name(id)) exists and is not controlled by this CustosTenant"
            return statusActions(tenant, ready: false, reason: "NameTaken", message: message, url: nil, now: now)
        }
        var actions: [ReconcileAction] = tenant.finalizers.contains(Self.finalizer) ? [] : [.addFinalizer]
        let desired = manifests.objects(id, spec: tenant.spec, owner: tenant)
        for kind in GatewayObjectKind.allCases {
            switch (desired[kind], observed[kind]) {
            case (let want?, nil):
                actions.append(.create(kind, want))
            case (let want?, let have?) where !want.isSubset(of: have):
                actions.append(.replace(kind, replacement(want, of: have, kind: kind)))
            case (nil, .some):
                actions.append(.delete(kind, name: manifests.name(id)))
            default:
                break
            }
        }
        let (ready, reason, message) = readiness(observed[.deployment], spec: tenant.spec, changing: !actions.isEmpty)
        return actions
            + statusActions(
                tenant, ready: ready, reason: reason, message: message, url: manifests.gatewayURL(id), now: now)
    }

    /// A deletion: ask the control plane to delete the tenant unless the tenant sync released it, then let go.
    func deletion(_ tenant: CustosTenant) -> [ReconcileAction] {
        guard tenant.finalizers.contains(Self.finalizer) else { return [] }
        // Only a CustosTenant the operator accepted (and so gave its finalizer) names a tenant it may delete; a
        // finalizer written by hand on a refused object is just removed.
        guard tenant.annotations[Self.releaseAnnotation] != "true", case .success(let id) = validate(tenant) else {
            return [.removeFinalizer]
        }
        return [.deleteTenantInControlPlane(id), .removeFinalizer]
    }

    /// The tenant id, or why the object is refused.
    public func validate(_ tenant: CustosTenant) -> Result<TenantID, OperatorError> {
        if tenant.namespace != manifests.namespace {
            return .failure(
                OperatorError(
                    "the operator manages the namespace \(manifests.namespace) only, not \(tenant.namespace)"))
        }
        if let problem = tenant.spec.problems.first { return .failure(OperatorError(problem)) }
        guard let id = TenantID(tenant.spec.tenantId) else {
            return .failure(OperatorError("spec.tenantId: \(TenantID.rule)"))
        }
        guard tenant.name == id.rawValue else {
            return .failure(
                OperatorError(
                    "metadata.name must be the tenant id \(id.rawValue), so that one tenant has one CustosTenant"))
        }
        guard !tenant.spec.plan.isEmpty else { return .failure(OperatorError("spec.plan must not be empty")) }
        return .success(id)
    }

    func isControlled(_ object: JSONValue, by tenant: CustosTenant) -> Bool {
        (object["metadata"]?["ownerReferences"]?.arrayValue ?? []).contains { reference in
            reference["uid"]?.stringValue == tenant.uid && reference["controller"]?.boolValue == true
        }
    }

    /// `want` as a replacement of `have`: its resourceVersion, and for a Service the cluster IPs the API server
    /// assigned (immutable: a replacement without them would be refused).
    func replacement(_ want: JSONValue, of have: JSONValue, kind: GatewayObjectKind) -> JSONValue {
        var metadata = want["metadata"] ?? .object([:])
        metadata = metadata.setting("resourceVersion", to: have["metadata"]?["resourceVersion"] ?? .null)
        var result = want.setting("metadata", to: metadata)
        if kind == .service, var spec = want["spec"] {
            for key in ["clusterIP", "clusterIPs"] {
                if let value = have["spec"]?[key] { spec = spec.setting(key, to: value) }
            }
            result = result.setting("spec", to: spec)
        }
        return result
    }

    func readiness(_ deployment: JSONValue?, spec: CustosTenantSpec, changing: Bool)
        -> (Bool, String, String)
    {
        guard let deployment, !changing else {
            return (false, "Reconciling", "the gateway's objects are being written")
        }
        let wanted = deployment["spec"]?["replicas"]?.intValue ?? 1
        let available = deployment["status"]?["availableReplicas"]?.intValue ?? 0
        let observedGeneration = deployment["status"]?["observedGeneration"]?.intValue ?? 0
        let generation = deployment["metadata"]?["generation"]?.intValue ?? 0
        if observedGeneration >= generation && available >= wanted {
            return (true, "GatewayAvailable", "\(available) of \(wanted) gateway replicas available")
        }
        return (false, "GatewayProgressing", "\(available) of \(wanted) gateway replicas available")
    }

    func statusActions(
        _ tenant: CustosTenant, ready: Bool, reason: String, message: String, url: String?, now: Date
    ) -> [ReconcileAction] {
        let status = ready ? "True" : "False"
        let previous = tenant.status?.condition(TenantCondition.ready)
        let since =
            previous?.status == status ? previous?.lastTransitionTime ?? Timestamp.iso8601(now) : Timestamp.iso8601(now)
        let condition = TenantCondition(
            type: TenantCondition.ready, status: status, reason: reason, message: message, lastTransitionTime: since,
            observedGeneration: tenant.generation)
        let others = (tenant.status?.conditions ?? []).filter { $0.type != TenantCondition.ready }
        let desired = CustosTenantStatus(
            conditions: others + [condition], observedGeneration: tenant.generation, gatewayURL: url)
        return desired == tenant.status ? [] : [.patchStatus(desired)]
    }
}
