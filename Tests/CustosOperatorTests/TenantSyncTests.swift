import CustosCore
import CustosOperator
import Testing

@Suite("Tenant sync (the control plane's Kubernetes provisioner)")
struct TenantSyncTests {
    let sync = TenantSync(namespace: Fixtures.namespace)
    let managed = [TenantSync.managedLabel: TenantSync.managedValue]

    func gateway(_ tenant: String, plan: String = "dedicated") -> DesiredGateway {
        DesiredGateway(tenant: TenantID(tenant)!, plan: plan)
    }

    @Test("a new dedicated gateway becomes a CustosTenant named after the tenant, labelled as the sync's")
    func create() throws {
        let actions = sync.diff(desired: [gateway("acme")], existing: [])
        guard case .create(let object) = actions.first, actions.count == 1 else {
            Issue.record("expected one creation, got \(actions)")
            return
        }
        let tenant = try CustosTenant(object: object)
        #expect(tenant.name == "acme" && tenant.namespace == "custos")
        #expect(tenant.spec == CustosTenantSpec(tenantId: "acme", plan: "dedicated"))
        #expect(tenant.labels == managed)
    }

    @Test("a plan change replaces the CustosTenant with its resourceVersion, keeping replicas set by hand")
    func planChange() throws {
        let existing = try Fixtures.tenant(spec: ["replicas": 3], labels: managed)
        let actions = sync.diff(desired: [gateway("acme", plan: "dedicated-large")], existing: [existing])
        guard case .replace(let object) = actions.first, actions.count == 1 else {
            Issue.record("expected one replacement, got \(actions)")
            return
        }
        #expect(object["metadata"]?["resourceVersion"] == "100")
        #expect(object["spec"]?["plan"] == "dedicated-large")
        #expect(object["spec"]?["replicas"] == 3)
    }

    @Test("unchanged and suspended tenants (still listed by the control plane) need nothing")
    func unchanged() throws {
        let existing = try Fixtures.tenant(labels: managed)
        #expect(sync.diff(desired: [gateway("acme")], existing: [existing]) == [])
    }

    @Test(
        "a tenant no longer listed (deleted, or moved to a pooled plan) is released, not deleted in the control plane")
    func release() throws {
        let existing = try Fixtures.tenant(labels: managed)
        #expect(sync.diff(desired: [], existing: [existing]) == [.release(name: "acme")])
    }

    @Test("CustosTenants made by hand, and ones being deleted, are left alone")
    func leftAlone() throws {
        let byHand = try Fixtures.tenant("globex")
        let deleting = try Fixtures.tenant("initech", deleting: true, labels: managed)
        #expect(sync.diff(desired: [gateway("globex", plan: "other")], existing: [byHand, deleting]) == [])
    }
}
