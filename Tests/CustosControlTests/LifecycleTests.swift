import CustosCore
import CustosStoreTesting
import Logging
import Testing

@testable import CustosControl

@Suite("Tenant lifecycle and signup bounds")
struct LifecycleTests {
    @Test("operations start only from the states that allow them; the refusal says the state")
    func transitions() throws {
        #expect(try TenantState.active.after(.suspend) == .suspended)
        #expect(try TenantState.suspended.after(.resume) == .active)
        #expect(try TenantState.suspended.after(.setPlan) == .suspended)
        #expect(try TenantState.failed.after(.delete) == .deleted)
        #expect(try TenantState.deleting.after(.delete) == .deleted, "a deletion resumes")
        for (state, kind) in [
            (TenantState.suspended, OperationKind.suspend), (.active, .resume), (.deleted, .delete),
            (.provisioning, .delete), (.deleted, .resume), (.failed, .setPlan), (.active, .create),
        ] {
            #expect(throws: RequestError.self) { _ = try state.after(kind) }
            do { _ = try state.after(kind) } catch {
                #expect(error.kind == .conflict && error.message.contains(state.rawValue), "\(state) \(kind)")
            }
        }
    }

    /// Every replica (and a restarted control plane) counts the same rows; concurrent signups never pass a bound.
    @Test("signups are bounded per address and platform in a sliding window, counted in PostgreSQL for all")
    func signupBounds() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let store = ControlStore(client: client, logger: Logger(label: "test"))
                try await store.migrate()
                let limiter = SignupLimiter(store: store, perAddress: 2, perPlatform: 3, window: .seconds(3600))
                #expect(try await limiter.admit("10.0.0.1") == nil)
                #expect(try await limiter.admit("10.0.0.1") == nil)
                let third = try await limiter.admit("10.0.0.1")
                #expect(third?.message.contains("at most 2 signups an hour come from one address") == true)
                #expect(third.map { (3598...3600).contains($0.retryAfter) } == true, "\(String(describing: third))")
                #expect(try await limiter.admit("10.0.0.2") == nil)
                let full = try await limiter.admit("10.0.0.3")
                #expect(full?.message.contains("the platform takes at most 3 signups an hour") == true)
                // Another control plane (or this one restarted) counts the same rows.
                let replica = SignupLimiter(store: store, perAddress: 2, perPlatform: 3, window: .seconds(3600))
                #expect(try await replica.admit("10.0.0.2")?.message.contains("platform") == true)

                // Concurrent signups from one address: exactly the bound gets through.
                _ = try await client.query("DELETE FROM control.signups", logger: Logger(label: "test"))
                let burst = SignupLimiter(store: store, perAddress: 2, perPlatform: 100, window: .seconds(3600))
                let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<12 { group.addTask { try await burst.admit("10.0.0.9") == nil } }
                    return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                }
                #expect(admitted == 2)

                // The window slides: a second later the address may again.
                let short = SignupLimiter(store: store, perAddress: 1, perPlatform: 100, window: .seconds(1))
                #expect(try await short.admit("10.0.0.7") == nil)
                #expect(try await short.admit("10.0.0.7")?.message.contains("at most 1 signups within 1 s") == true)
                try await Task.sleep(for: .milliseconds(1100))
                #expect(try await short.admit("10.0.0.7") == nil)

                let off = SignupLimiter(store: store, perAddress: 0, perPlatform: 0)
                #expect(try await off.admit("10.0.0.1")?.message.contains("turned off") == true)
            }
        }
    }

    @Test("generated tenant ids are valid, readable, and the same for one idempotency seed")
    func generatedIDs() {
        let id = SignupRoute.generatedID("Acme Ltd.")
        #expect(id.rawValue.hasPrefix("acme-ltd-") && id.rawValue.count == 13, "\(id)")
        #expect(SignupRoute.generatedID("42 Things").rawValue.hasPrefix("org-42-things-"))
        #expect(SignupRoute.generatedID("!!!").rawValue.hasPrefix("org-"))
        let seed: [UInt8] = [0xab, 0xcd, 0xef, 0x01]
        #expect(SignupRoute.generatedID("Acme", seed: seed) == SignupRoute.generatedID("Acme", seed: seed))
        #expect(SignupRoute.generatedID("Acme", seed: seed).rawValue == "acme-abcd")
        #expect(
            !SignupRoute.isEmail("a@b") && !SignupRoute.isEmail("a b@example.com")
                && SignupRoute.isEmail("it@example.com"))
    }
}
