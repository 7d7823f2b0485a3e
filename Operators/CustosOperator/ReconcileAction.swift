import CustosCore

/// One step the reconciler asks for. The controller carries them out in order and stops at the first failure;
/// on a conflict it reads everything again and asks the reconciler anew.
public enum ReconcileAction: Sendable, Equatable {
    /// Create this object.
    case create(GatewayObjectKind, JSONValue)
    /// Replace the object (PUT); it carries the `metadata.resourceVersion` it replaces.
    case replace(GatewayObjectKind, JSONValue)
    /// Delete the object of this name.
    case delete(GatewayObjectKind, name: String)
    /// Replace the CustosTenant (with its resourceVersion) with the operator's finalizer added.
    case addFinalizer
    /// Replace the CustosTenant (with its resourceVersion) with the operator's finalizer removed, letting the
    /// deletion finish.
    case removeFinalizer
    /// Ask the control plane to delete the tenant: its data is destroyed and its data key shredded. Done only
    /// when the control plane reports the deletion finished (or the tenant unknown).
    case deleteTenantInControlPlane(TenantID)
    /// Merge-patch the status subresource.
    case patchStatus(CustosTenantStatus)
}
