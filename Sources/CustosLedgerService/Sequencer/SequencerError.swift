import CustosCore

/// Why a ledger worker cannot sequence a tenant right now; each is a 503 that a retry resolves.
enum SequencerError: CustosError, Equatable {
    /// A write was fenced off: another ledger worker took the tenant's shard and claimed the tenant since this
    /// one loaded it. Nothing of the refused write was stored.
    case lost(TenantID)
    /// A request forwarded by another worker reached this one, which does not sequence the tenant either (its
    /// shard changed hands in between, or its sequencer has just died).
    case moved(TenantID)
    /// The connection that holds this worker's shard locks is down, so it sequences no tenant until it is back.
    case leaseUnavailable

    var kind: ErrorKind { .unavailable }

    var description: String {
        switch self {
        case .lost(let tenant):
            "tenant \(tenant) is now sequenced by another ledger worker; nothing was written, retry"
        case .moved(let tenant):
            "the ledger worker sequencing tenant \(tenant) is changing; retry shortly"
        case .leaseUnavailable:
            "the ledger worker cannot reach the database to hold its tenants; retry shortly"
        }
    }
}
