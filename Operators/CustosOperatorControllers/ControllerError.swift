/// Why a controller stopped short of carrying out all its actions (apart from the API's own errors).
public enum ControllerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The control plane has not finished deleting the tenant; the finalizer stays and the next pass asks again.
    case deletionPending(tenant: String, reason: String)

    public var description: String {
        switch self {
        case .deletionPending(let tenant, let reason): "deletion of tenant \(tenant) not finished: \(reason)"
        }
    }
}
