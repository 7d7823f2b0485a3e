import CustosCore
import CustosIdentity
import CustosServer
import Foundation
import Synchronization
import Testing

@testable import CustosIdentityService

@Suite("The ssi worker's caches load each entry once at a time")
struct SSICachesTests {
    static let tenant = TenantID("acme")!

    /// How many loads ran.
    final class Counter: Sendable {
        let count = Mutex(0)
        func add() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    @Test("concurrent misses of one entry share one load, and then it is cached")
    func sharedLoad() async throws {
        let caches = SSICaches()
        let loads = Counter()
        let values = try await withThrowingTaskGroup(of: Set<DID>.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    try await caches.value(\.trustedRoots, Self.tenant, lifetime: .seconds(60)) {
                        loads.add()
                        try await Task.sleep(for: .milliseconds(100))
                        return [try DID("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")]
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(loads.value == 1)
        #expect(values.count == 20 && Set(values).count == 1)
        _ = try await caches.value(\.trustedRoots, Self.tenant, lifetime: .seconds(60)) {
            loads.add()
            return []
        }
        #expect(loads.value == 1, "the value is cached")
    }

    @Test("a failed load fails whoever waited for it, and the next miss loads again")
    func failedLoad() async throws {
        let caches = SSICaches()
        let loads = Counter()
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        _ = try await caches.value(\.trustedRoots, Self.tenant, lifetime: .seconds(60)) {
                            loads.add()
                            try await Task.sleep(for: .milliseconds(100))
                            throw RequestError(.unavailable, "database down")
                        }
                        return true
                    } catch { return false }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == Array(repeating: false, count: 10))
        #expect(loads.value == 1)
        let roots = try await caches.value(\.trustedRoots, Self.tenant, lifetime: .seconds(60)) { Set<DID>() }
        #expect(roots.isEmpty)
    }

    @Test("a miss after an invalidation does not wait for a load that began before it, whose value is not kept")
    func invalidatedDuringLoad() async throws {
        let caches = SSICaches()
        let stale = try DID("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK")
        let early = Task {
            try await caches.value(\.trustedRoots, Self.tenant, lifetime: .seconds(60)) {
                try await Task.sleep(for: .milliseconds(300))
                return [stale]
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        // A root was removed here while the early load read the old set.
        caches.trustedRootsChanged(Self.tenant)
        let fresh = try await caches.value(\.trustedRoots, Self.tenant, lifetime: .seconds(60)) { Set<DID>() }
        #expect(fresh.isEmpty, "the later miss loaded anew")
        #expect(try await early.value == [stale], "the early load still answers its own caller")
        let cached = try await caches.value(\.trustedRoots, Self.tenant, lifetime: .seconds(60)) {
            Issue.record("the fresh value should be cached")
            return []
        }
        #expect(cached.isEmpty, "the stale value was not kept over the fresh one")
    }
}
