import CustosCore
import Testing

@testable import CustosGateway

@Suite("Fair admission")
struct FairAdmissionTests {
    static let flood = TenantID("flood")!
    static let quiet = TenantID("quiet")!

    /// The order requests were admitted in.
    actor Admitted {
        private(set) var tenants: [TenantID] = []
        func append(_ tenant: TenantID) { tenants.append(tenant) }
    }

    /// Starts a request of `tenant` that records its admission, once it waits.
    static func request(
        _ tenant: TenantID, _ admission: FairAdmission, _ admitted: Admitted, group: inout TaskGroup<Void>
    ) async {
        let before = await admission.load.waiting
        group.addTask {
            await admission.enter(tenant)
            await admitted.append(tenant)
        }
        while await admission.load.waiting == before { await Task.yield() }
    }

    @Test("under a flood, another tenant waits one turn, not behind the flood's queue")
    func turns() async {
        let admission = FairAdmission(capacity: 2)
        await admission.enter(Self.flood)
        await admission.enter(Self.flood)
        #expect(await admission.load == (2, 0))
        let admitted = Admitted()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<5 { await Self.request(Self.flood, admission, admitted, group: &group) }
            await Self.request(Self.quiet, admission, admitted, group: &group)
            #expect(await admission.load == (2, 6))
            for expected in 1...6 {
                await admission.leave()
                while await admitted.tenants.count < expected { await Task.yield() }
            }
        }
        // The flood queued first and has the first turn; the quiet tenant has the second, before four of the flood.
        #expect(await admitted.tenants == [Self.flood, Self.quiet, Self.flood, Self.flood, Self.flood, Self.flood])
        #expect(await admission.load == (2, 0), "each admitted request holds its place until it leaves")
        await admission.leave()
        await admission.leave()
        #expect(await admission.load == (0, 0))
    }

    @Test("below capacity nobody waits; at capacity a new request waits for a place")
    func capacity() async {
        let admission = FairAdmission(capacity: 3)
        for _ in 0..<3 { await admission.enter(Self.quiet) }
        let admitted = Admitted()
        await withTaskGroup(of: Void.self) { group in
            await Self.request(Self.flood, admission, admitted, group: &group)
            #expect(await admitted.tenants.isEmpty)
            await admission.leave()
        }
        #expect(await admitted.tenants == [Self.flood])
        #expect(await admission.load == (3, 0))
    }
}
