import CustosCore

/// Where a tenant is in its life, and which operations may start from there.
///
/// ```
/// provisioning ──▶ active ◀──▶ suspended
///      │             │            │
///      ▼             ▼            ▼
///   failed ──────▶ deleting ──▶ deleted
/// ```
///
/// Every change is an operation (``OperationKind``); at most one runs for a tenant at a time. A tenant's keys
/// work only while it is `active`; a `suspended` tenant's keys are refused with a 403 that says so, its data
/// kept; a `failed` tenant says why in its status reason (a failed deletion leaves it failed, and deleting it
/// again resumes); a `deleted` tenant's data and keys are destroyed, its id never used again.
public enum TenantState: String, Sendable, Equatable, CaseIterable {
    /// Its provisioning operation runs.
    case provisioning
    /// It serves requests.
    case active
    /// Its keys and identity tokens are refused; its data stays.
    case suspended
    /// Being erased (reserved for the deletion operation).
    case deleting
    /// Erased (reserved for the deletion operation).
    case deleted
    /// An operation failed; the reason says which and why.
    case failed

    /// The state an operation of `kind` leaves the tenant in, or the 409 that refuses to start it here.
    public func after(_ kind: OperationKind) throws(RequestError) -> TenantState {
        switch (kind, self) {
        case (.suspend, .active): return .suspended
        case (.resume, .suspended): return .active
        case (.setPlan, .active), (.setPlan, .suspended): return self
        case (.delete, .active), (.delete, .suspended), (.delete, .failed), (.delete, .deleting): return .deleted
        case (.delete, _): throw RequestError(.conflict, "the tenant cannot be deleted while it is \(rawValue)")
        case (.create, _): throw RequestError(.conflict, "the tenant exists (it is \(rawValue))")
        case (.suspend, _): throw RequestError(.conflict, "only an active tenant can be suspended; it is \(rawValue)")
        case (.resume, _): throw RequestError(.conflict, "only a suspended tenant can be resumed; it is \(rawValue)")
        case (.setPlan, _):
            throw RequestError(
                .conflict, "a tenant's plan can change only while it is active or suspended; it is \(rawValue)")
        }
    }

    /// Whether the tenant's keys are known to the gateways (refused with a reason while suspended).
    public var hasLiveKeys: Bool { self == .active || self == .suspended }
}

/// What an operation does to a tenant.
public enum OperationKind: String, Sendable, Equatable, CaseIterable {
    /// Provision a new tenant.
    case create
    /// Refuse the tenant's keys and tokens.
    case suspend
    /// Accept them again.
    case resume
    /// Move the tenant to another plan (and isolation model).
    case setPlan = "set-plan"
    /// Erase the tenant: data and keys destroyed, the log's hashes and signed checkpoints kept.
    case delete
}
