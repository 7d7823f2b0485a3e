import CustosCore
import CustosKubernetes
import CustosKubernetesTesting
import CustosOperator
import Foundation
import Logging
import Testing

@testable import CustosOperatorControllers

/// The operator's real client and controllers against an in-memory Kubernetes API on loopback (kmock, with the
/// additions of Sources/CustosKubernetesTesting/Emulator/kmock_server.py). What that emulator does not do is listed
/// in kmock_server.py and Operators/README.md; nothing here has run against a real API server.
@Suite("Against the kmock emulator", .serialized, .enabled(if: Emulator.available, "python3 cannot import kmock"))
struct EmulatorTests {
    let logger = Logger(label: "test")

    func controller(_ client: KubernetesClient, _ control: FakeControlPlane) throws -> TenantController {
        TenantController(
            client: client, reconciler: try Fixtures.reconciler(), controlPlane: control,
            leadership: Leadership(leader: true), resync: .seconds(60), logger: logger)
    }

    static func tenantObject(_ name: String) -> JSONValue {
        CustosTenant.newObject(
            name: name, namespace: "custos", spec: CustosTenantSpec(tenantId: name, plan: "dedicated"), labels: [:])
    }

    @Test("list, create and get; a second create of the same name is a typed AlreadyExists")
    func basics() async throws {
        let emulator = try Emulator()
        let client = try emulator.client()
        defer { Task { try? await client.shutdown() } }
        try await client.create(.custosTenants, Self.tenantObject("acme"))
        #expect(try await client.list(.custosTenants).items.count == 1)
        #expect(try await client.get(.custosTenants, name: "acme")?["spec"]?["tenantId"] == "acme")
        #expect(try await client.get(.custosTenants, name: "nobody") == nil)
        await #expect(throws: KubernetesError.self) {
            try await client.create(.custosTenants, Self.tenantObject("acme"))
        }
    }

    @Test("a replacement with a stale resourceVersion is a typed 409 Conflict; re-read and retried it succeeds")
    func conflict() async throws {
        let emulator = try Emulator()
        let client = try emulator.client()
        defer { Task { try? await client.shutdown() } }
        let created = try await client.create(.custosTenants, Self.tenantObject("acme"))
        let first = try CustosTenant(object: created)
        try await client.replace(.custosTenants, first.replacingFinalizers(["someone/else"]))
        let error = await #expect(throws: KubernetesError.self) {
            try await client.replace(.custosTenants, first.replacingFinalizers([Reconciler.finalizer]))
        }
        guard case .conflict(let path, _) = error else {
            Issue.record("expected a conflict, got \(String(describing: error))")
            return
        }
        #expect(path.hasSuffix("/custostenants/acme"))
        let fresh = try CustosTenant(object: try await client.get(.custosTenants, name: "acme")!)
        try await client.replace(.custosTenants, fresh.replacingFinalizers(fresh.finalizers + [Reconciler.finalizer]))
        let final = try CustosTenant(object: try await client.get(.custosTenants, name: "acme")!)
        #expect(final.finalizers == ["someone/else", Reconciler.finalizer])
    }

    @Test(
        "the controller creates the objects, writes the status, repairs drift and, on deletion, asks the control plane first"
    )
    func reconcileAndDelete() async throws {
        let emulator = try Emulator()
        let client = try emulator.client()
        defer { Task { try? await client.shutdown() } }
        let control = FakeControlPlane()
        let controller = try controller(client, control)
        try await client.create(.custosTenants, Self.tenantObject("acme"))
        try await controller.reconcileOnce(name: "acme")

        let tenant = try CustosTenant(object: try await client.get(.custosTenants, name: "acme")!)
        #expect(tenant.finalizers == [Reconciler.finalizer])
        #expect(tenant.status?.gatewayURL == "https://acme.custos.example.com")
        #expect(tenant.status?.condition("Ready")?.reason == "Reconciling")
        for resource in [KubernetesResource.deployments, .services, .ingresses] {
            let object = try await client.get(resource, name: "custos-gw-acme")
            #expect(object?["metadata"]?["ownerReferences"]?[0]?["uid"]?.stringValue == tenant.uid)
        }

        // Someone scales the Deployment by hand; the next pass puts it back.
        var deployment = try await client.get(.deployments, name: "custos-gw-acme")!
        deployment = deployment.setting("spec", to: deployment["spec"]!.setting("replicas", to: 9))
        try await client.replace(.deployments, deployment)
        await controller.reconcile(name: "acme")
        #expect(try await client.get(.deployments, name: "custos-gw-acme")?["spec"]?["replicas"] == 2)

        // Deletion waits while the control plane has not finished, then the finalizer goes and the object with it.
        await control.set(deletionAnswers: [.pending("running")])
        try await client.delete(.custosTenants, name: "acme")
        #expect(try await client.get(.custosTenants, name: "acme")?["metadata"]?["deletionTimestamp"] != nil)
        await #expect(throws: ControllerError.self) { try await controller.reconcileOnce(name: "acme") }
        #expect(try await client.get(.custosTenants, name: "acme") != nil)
        try await controller.reconcileOnce(name: "acme")
        #expect(try await client.get(.custosTenants, name: "acme") == nil)
        #expect(await control.deletions == ["acme", "acme"])
    }

    @Test("a refused CustosTenant gets a Ready=False condition and no objects")
    func refused() async throws {
        let emulator = try Emulator()
        let client = try emulator.client()
        defer { Task { try? await client.shutdown() } }
        let controller = try controller(client, FakeControlPlane())
        var object = Self.tenantObject("innocent")
        object = object.setting("spec", to: ["tenantId": "acme", "plan": "dedicated"])
        try await client.create(.custosTenants, object)
        try await controller.reconcileOnce(name: "innocent")
        let tenant = try CustosTenant(object: try await client.get(.custosTenants, name: "innocent")!)
        #expect(tenant.status?.condition("Ready")?.reason == "InvalidSpec")
        #expect(tenant.finalizers.isEmpty)
        #expect(try await client.get(.deployments, name: "custos-gw-acme") == nil)
    }

    @Test("the tenant sync creates CustosTenants from the control plane and releases them without deleting tenants")
    func tenantSync() async throws {
        let emulator = try Emulator()
        let client = try emulator.client()
        defer { Task { try? await client.shutdown() } }
        let control = FakeControlPlane()
        let leadership = Leadership(leader: true)
        let sync = TenantSyncService(
            client: client, controlPlane: control, leadership: leadership, interval: .seconds(1), logger: logger)
        await control.set(desired: [DesiredGateway(tenant: TenantID("acme")!, plan: "dedicated")])
        try await sync.syncOnce()
        let created = try CustosTenant(object: try await client.get(.custosTenants, name: "acme")!)
        #expect(created.labels[TenantSync.managedLabel] == TenantSync.managedValue)

        await control.set(desired: [DesiredGateway(tenant: TenantID("acme")!, plan: "dedicated-large")])
        try await sync.syncOnce()
        #expect(try await client.get(.custosTenants, name: "acme")?["spec"]?["plan"] == "dedicated-large")

        // The controller put its finalizer on; the release lets it go without a control-plane deletion.
        let controller = try controller(client, control)
        try await controller.reconcileOnce(name: "acme")
        await control.set(desired: [])
        try await sync.syncOnce()
        try await controller.reconcileOnce(name: "acme")
        #expect(try await client.get(.custosTenants, name: "acme") == nil)
        #expect(await control.deletions.isEmpty)
    }

    @Test("leader election on a Lease: one leader, the other waits, a released Lease is taken at once")
    func leaderElection() async throws {
        let emulator = try Emulator()
        let client = try emulator.client()
        defer { Task { try? await client.shutdown() } }
        let a = Leadership()
        let b = Leadership()
        let electorA = LeaderElector(
            client: client, election: LeaderElection(identity: "a", leaseDurationSeconds: 15), leaseName: "lease",
            leadership: a, logger: logger)
        let electorB = LeaderElector(
            client: client, election: LeaderElection(identity: "b", leaseDurationSeconds: 15), leaseName: "lease",
            leadership: b, logger: logger)
        await electorA.step(now: Date())
        await electorB.step(now: Date())
        let first = (await a.isLeader, await b.isLeader)
        #expect(first == (true, false))
        await electorA.step(now: Date())
        #expect(await a.isLeader)
        await electorA.release()
        await electorB.step(now: Date())
        let second = (await a.isLeader, await b.isLeader)
        #expect(second == (false, true))
        #expect(LeaseRecord(object: try await client.get(.leases, name: "lease")!).holderIdentity == "b")
    }

    @Test("the controller service follows the watch: a new CustosTenant gets its Deployment without a resync")
    func watch() async throws {
        let emulator = try Emulator()
        let client = try emulator.client()
        defer { Task { try? await client.shutdown() } }
        let controller = try controller(client, FakeControlPlane())
        let running = Task { try await controller.run() }
        defer { running.cancel() }
        try await Task.sleep(for: .milliseconds(300))
        try await client.create(.custosTenants, Self.tenantObject("globex"))
        var found = false
        for _ in 0..<50 where !found {
            try await Task.sleep(for: .milliseconds(100))
            found = try await client.get(.deployments, name: "custos-gw-globex") != nil
        }
        #expect(found)
    }
}
