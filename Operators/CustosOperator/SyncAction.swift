import CustosCore

/// What the tenant sync asks for.
public enum SyncAction: Sendable, Equatable {
    /// Create this CustosTenant.
    case create(JSONValue)
    /// Replace a CustosTenant (it carries its resourceVersion) with a new plan.
    case replace(JSONValue)
    /// Annotate the CustosTenant named `name` with ``Reconciler/releaseAnnotation`` and delete it: its gateway goes,
    /// the tenant stays in the control plane.
    case release(name: String)
}
