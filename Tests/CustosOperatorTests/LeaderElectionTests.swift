import CustosOperator
import Foundation
import Testing

@Suite("Leader election")
struct LeaderElectionTests {
    let election = LeaderElection(identity: "operator-a", leaseDurationSeconds: 15)
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    func lease(holder: String?, renewedAgo seconds: Double, transitions: Int = 2) -> LeaseRecord {
        LeaseRecord(
            holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: now.addingTimeInterval(-100),
            renewTime: now.addingTimeInterval(-seconds), leaseTransitions: transitions, resourceVersion: "42")
    }

    @Test("no Lease: create one held by us")
    func create() {
        guard case .create(let record) = election.decide(nil, now: now) else {
            Issue.record("expected create")
            return
        }
        #expect(record.holderIdentity == "operator-a" && record.renewTime == now && record.leaseTransitions == 0)
    }

    @Test("a Lease held by another and renewed within its duration is respected")
    func heldLease() {
        let decision = election.decide(lease(holder: "operator-b", renewedAgo: 5), now: now)
        #expect(decision == .standby(holder: "operator-b", until: now.addingTimeInterval(10)))
    }

    @Test("an expired Lease is taken, with its resourceVersion and one more transition")
    func expiredLease() {
        guard case .acquire(let record) = election.decide(lease(holder: "operator-b", renewedAgo: 16), now: now) else {
            Issue.record("expected acquire")
            return
        }
        #expect(record.holderIdentity == "operator-a")
        #expect(record.resourceVersion == "42")
        #expect(record.leaseTransitions == 3)
        #expect(record.acquireTime == now)
    }

    @Test("our own Lease is renewed, even when late")
    func renew() {
        guard case .renew(let record) = election.decide(lease(holder: "operator-a", renewedAgo: 30), now: now) else {
            Issue.record("expected renew")
            return
        }
        #expect(record.renewTime == now && record.leaseTransitions == 2)
    }

    @Test("a released Lease (no holder) is taken without counting a transition")
    func released() {
        guard case .acquire(let record) = election.decide(lease(holder: nil, renewedAgo: 1), now: now) else {
            Issue.record("expected acquire")
            return
        }
        #expect(record.leaseTransitions == 2)
    }

    @Test("the Lease object carries MicroTime stamps and round-trips")
    func object() {
        let record = LeaseRecord(
            holderIdentity: "operator-a", leaseDurationSeconds: 15,
            acquireTime: Date(timeIntervalSince1970: 1_780_000_000.25),
            renewTime: Date(timeIntervalSince1970: 1_780_000_001),
            leaseTransitions: 1, resourceVersion: "9")
        let object = record.object(name: "custos-operator", namespace: "custos")
        #expect(object["spec"]?["acquireTime"] == "2026-05-28T20:26:40.250000Z")
        #expect(object["spec"]?["renewTime"] == "2026-05-28T20:26:41.000000Z")
        #expect(LeaseRecord(object: object) == record)
    }
}
