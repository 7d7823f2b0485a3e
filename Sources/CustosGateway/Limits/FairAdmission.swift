import CustosCore

/// Bounds the requests a pooled gateway works on at once and, past that bound, lets tenants in by turns: one
/// request of each waiting tenant, round robin, whatever the length of each tenant's queue.
///
/// A tenant that floods the gateway fills the free places and then queues behind itself; another tenant's
/// request waits only for the next place to free (one finishes every fraction of a millisecond under load),
/// not behind the flood. Everything a request costs after admission (policies, the worker's commit)
/// is then spread over at most `capacity` requests, so the depth of every queue further in, and with it the
/// wait of a tenant that is not flooding, is bounded by the capacity rather than by the flood. The plan's rate
/// limits bound how much a tenant is let in; this decides the order.
actor FairAdmission {
    /// Requests worked on at once.
    let capacity: Int
    private var inFlight = 0
    /// The waiting requests of each tenant, oldest first.
    private var waiting: [TenantID: [CheckedContinuation<Void, Never>]] = [:]
    /// Tenants with waiting requests, in the order they get their next turn.
    private var turns: [TenantID] = []

    /// Creates an admission of `capacity` places (at least one).
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Waits for a place for a request of `tenant`.
    func enter(_ tenant: TenantID) async {
        if inFlight < capacity, turns.isEmpty {
            inFlight += 1
            return
        }
        await withCheckedContinuation { continuation in
            if waiting[tenant, default: []].isEmpty { turns.append(tenant) }
            waiting[tenant, default: []].append(continuation)
        }
    }

    /// Frees a place: it passes to the next tenant's oldest waiting request, if any.
    func leave() {
        guard !turns.isEmpty else {
            inFlight -= 1
            return
        }
        let tenant = turns.removeFirst()
        var queue = waiting.removeValue(forKey: tenant) ?? []
        let next = queue.removeFirst()
        if !queue.isEmpty {
            waiting[tenant] = queue
            turns.append(tenant)
        }
        next.resume()
    }

    /// Requests worked on now, and waiting.
    var load: (inFlight: Int, waiting: Int) { (inFlight, waiting.values.reduce(0) { $0 + $1.count }) }
}
