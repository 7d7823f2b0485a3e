/// How many PostgreSQL connections each kind of process may hold, so the control plane can tell how many
/// tenants one PostgreSQL serves before it refuses connections.
public enum ConnectionBudget {
    /// A gateway only looks up API keys and policies, with a small pool that empties when idle, and keeps one
    /// connection listening for tenant changes.
    public static let gateway = 3
    /// The pool of each core process that holds one: the control plane, the ledger worker and the ssi worker.
    public static let corePool = 10
    /// Those three pools, and ten connections of headroom for administration and the command-line tools, kept
    /// free of gateways.
    public static let reservedForCore = 3 * corePool + 10
}
