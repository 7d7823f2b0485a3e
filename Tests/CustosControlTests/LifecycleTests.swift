import CustosCore
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

    @Test("signups are bounded per address and per platform in a sliding hour; 0 turns signup off")
    func signupBounds() {
        let limiter = SignupLimiter(perAddress: 2, perPlatform: 3, window: .seconds(3600))
        let start = ContinuousClock.now
        #expect(limiter.admit("10.0.0.1", now: start) == nil)
        #expect(limiter.admit("10.0.0.1", now: start + .seconds(1)) == nil)
        let third = limiter.admit("10.0.0.1", now: start + .seconds(2))
        #expect(third?.message.contains("one address") == true)
        #expect(third.map { (3590...3600).contains($0.retryAfter) } == true, "\(String(describing: third))")
        #expect(limiter.admit("10.0.0.2", now: start + .seconds(3)) == nil)
        #expect(limiter.admit("10.0.0.3", now: start + .seconds(4))?.message.contains("platform") == true)
        #expect(limiter.admit("10.0.0.1", now: start + .seconds(3601)) == nil, "an hour later the address may again")
        let off = SignupLimiter(perAddress: 0, perPlatform: 0)
        #expect(off.admit("10.0.0.1")?.message.contains("turned off") == true)
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
