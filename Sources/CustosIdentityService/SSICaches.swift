import CustosCore
import CustosIdentity
import Foundation
import Synchronization

/// What the ssi worker keeps between requests, each for a bounded time, so the hot paths (issuing and checking
/// credentials) cost one statement instead of a dozen:
///
/// - a tenant's identity setup and current status list (5 s; they change only when this worker changes them,
///   or when a new list is opened);
/// - the trust root's opened signing key (30 s): a tenant's deletion flushes it, and a destroyed data key is
///   noticed within that time at the latest;
/// - signed status list credentials (1 s, and dropped at once when this worker revokes or suspends): a
///   revocation by another replica shows within a second;
/// - verified DID document chains for resolution by verifiers (1 s; a published version shows within a second
///   there, and at once on the routes that publish or show documents, which never use this cache);
/// - a tenant's trusted roots for verification (1 s, and dropped at once when this worker adds or removes one):
///   a change through another replica counts within a second.
final class SSICaches: Sendable {
    struct Entry<Value: Sendable>: Sendable {
        let value: Value
        let expires: ContinuousClock.Instant
    }

    struct State {
        var tenants: [TenantID: Entry<SSITenantRow>] = [:]
        var signers: [TenantID: Entry<Ed25519Signer>] = [:]
        var currentLists: [TenantID: Entry<(id: String, capacity: Int)?>] = [:]
        var statusLists: [String: Entry<(JSONValue, String)>] = [:]
        var issuedLists: [String: Entry<(IssuedStatusList, String)>] = [:]
        var chains: [DID: Entry<DIDDocumentChain>] = [:]
        var trustedRoots: [TenantID: Entry<Set<DID>>] = [:]
    }

    static let tenantLifetime: Duration = .seconds(5)
    static let signerLifetime: Duration = .seconds(30)
    static let statusListLifetime: Duration = .seconds(1)
    static let chainLifetime: Duration = .seconds(1)
    static let trustedRootsLifetime: Duration = .seconds(1)
    /// Entries per map before expired ones are swept, so the caches stay bounded by what is in use.
    static let sweepThreshold = 10_000

    let state = Mutex(State())

    /// Loads under way, so that concurrent misses of one entry share one load instead of each reading.
    private struct Loading: Sendable {
        var waiters: [CheckedContinuation<(any Sendable)?, any Error>] = []
    }

    private struct Flights {
        /// By map, key and generation, `"\(path)|\(key)|\(generation)"`: the maps differ in their types (which a key
        /// path's description names at least), and within a map the keys' descriptions are distinct. A load whose
        /// generation is past keeps its waiters, and its value is not kept.
        var loading: [String: Loading] = [:]
        /// Bumped by every invalidation.
        var generation: UInt64 = 0
    }

    private let flights = Mutex(Flights())

    /// The cached value at `key` of the map `path`, or the one `load` gives, kept for `lifetime`. Concurrent misses
    /// of one entry wait for the first one's load (and get its error if it fails), unless the caches were
    /// invalidated since it began.
    func value<Key: Hashable & Sendable, Value: Sendable>(
        _ path: WritableKeyPath<State, [Key: Entry<Value>]>, _ key: Key, lifetime: Duration,
        load: () async throws -> Value
    ) async throws -> Value {
        let now = ContinuousClock.now
        if let entry = state.withLock({ $0[keyPath: path][key] }), entry.expires > now { return entry.value }
        let entryKey = "\(path)|\(key)"
        // Either this call loads (nil, under `flight`), or it waited for another's value.
        var flight = ""
        let waited: (any Sendable)?
        do {
            waited = try await withCheckedThrowingContinuation { continuation in
                let loads = flights.withLock { flights -> Bool in
                    // A load that began before an invalidation keeps its own place and its waiters; later misses
                    // go to a load of the current generation.
                    flight = entryKey + "|\(flights.generation)"
                    if flights.loading[flight] != nil {
                        flights.loading[flight]?.waiters.append(continuation)
                        return false
                    }
                    flights.loading[flight] = Loading()
                    return true
                }
                if loads { continuation.resume(returning: nil) }
            }
        } catch is CancellationError where !Task.isCancelled {
            // The load waited for was cancelled with its own request, not this one: load here.
            return try await load()
        }
        if let waited { return waited as! Value }
        let result: Result<Value, any Error>
        do { result = .success(try await load()) } catch { result = .failure(error) }
        let (waiters, current) = flights.withLock { flights in
            let waiters = flights.loading.removeValue(forKey: flight)?.waiters ?? []
            return (waiters, flight == entryKey + "|\(flights.generation)")
        }
        if current, case .success(let value) = result {
            state.withLock { state in
                if state[keyPath: path].count >= Self.sweepThreshold {
                    state[keyPath: path] = state[keyPath: path].filter { $0.value.expires > now }
                }
                state[keyPath: path][key] = Entry(value: value, expires: now + lifetime)
            }
        }
        for waiter in waiters { waiter.resume(with: result.map { $0 as any Sendable }) }
        return try result.get()
    }

    /// Makes loads under way stale: their values are not kept, and later misses load anew.
    private func invalidate() {
        flights.withLock { $0.generation &+= 1 }
    }

    /// Forgets the signed status lists after a revocation or suspension here.
    /// Drops everything kept of a tenant, once it is erased.
    func forget(_ tenant: TenantID) {
        invalidate()
        state.withLock { state in
            state.tenants[tenant] = nil
            state.signers[tenant] = nil
            state.currentLists[tenant] = nil
            state.trustedRoots[tenant] = nil
        }
    }

    func statusChanged() {
        invalidate()
        state.withLock { state in
            state.statusLists = [:]
            state.issuedLists = [:]
        }
    }

    /// Forgets a tenant's trusted roots, after one was added or removed here.
    func trustedRootsChanged(_ tenant: TenantID) {
        invalidate()
        state.withLock { $0.trustedRoots[tenant] = nil }
    }

    /// Forgets what a tenant's current list is, after a new one was opened.
    func listOpened(_ tenant: TenantID) {
        invalidate()
        state.withLock { $0.currentLists[tenant] = nil }
    }
}
