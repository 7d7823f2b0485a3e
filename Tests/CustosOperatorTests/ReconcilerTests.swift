import CustosCore
import CustosOperator
import Foundation
import Testing

@Suite("Reconciler")
struct ReconcilerTests {
    /// Everything a fresh reconciliation creates, as the API server would store it.
    static func existing(_ tenant: CustosTenant, reconciler: Reconciler) -> ObservedObjects {
        let created = Fixtures.created(reconciler.reconcile(tenant, observed: ObservedObjects(), now: Fixtures.now))
        return ObservedObjects(created.mapValues { Fixtures.stored($0) })
    }

    @Test("a fresh tenant gets the finalizer, a Deployment, a Service, an Ingress rule and a status, in that order")
    func freshTenant() throws {
        let reconciler = try Fixtures.reconciler()
        let actions = reconciler.reconcile(try Fixtures.tenant(), observed: ObservedObjects(), now: Fixtures.now)
        #expect(actions.count == 5)
        #expect(actions.first == .addFinalizer)
        let kinds = actions.compactMap { action -> GatewayObjectKind? in
            if case .create(let kind, _) = action { return kind }
            return nil
        }
        #expect(kinds == [.deployment, .service, .ingress])
        guard case .patchStatus(let status) = actions.last else {
            Issue.record("no status patch")
            return
        }
        #expect(status.gatewayURL == "https://acme.custos.example.com")
        #expect(status.condition("Ready")?.status == "False")
        #expect(status.condition("Ready")?.reason == "Reconciling")
        #expect(status.observedGeneration == 1)
    }

    @Test("every object is controlled by its CustosTenant and carries the tenant's selector labels")
    func ownerReferences() throws {
        let reconciler = try Fixtures.reconciler()
        let tenant = try Fixtures.tenant()
        for (_, object) in Fixtures.created(
            reconciler.reconcile(tenant, observed: ObservedObjects(), now: Fixtures.now))
        {
            let references = object["metadata"]?["ownerReferences"]?.arrayValue ?? []
            #expect(references.count == 1)
            #expect(references.first?["uid"]?.stringValue == tenant.uid)
            #expect(references.first?["kind"] == "CustosTenant")
            #expect(references.first?["controller"] == true)
            #expect(references.first?["blockOwnerDeletion"] == true)
            #expect(object["metadata"]?["name"] == "custos-gw-acme")
            #expect(object["metadata"]?["labels"]?["custos.dev/tenant"] == "acme")
        }
    }

    @Test("the Deployment runs custos gateway --tenant with the pooled gateway's other arguments")
    func gatewayArguments() throws {
        let reconciler = try Fixtures.reconciler()
        let created = Fixtures.created(
            reconciler.reconcile(try Fixtures.tenant(), observed: ObservedObjects(), now: Fixtures.now))
        let container = created[.deployment]?["spec"]?["template"]?["spec"]?["containers"]?[0]
        let args = container?["args"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Array(args.prefix(3)) == ["gateway", "--tenant", "acme"])
        #expect(!args.contains("--pooled") && !args.contains("--domain"))
        #expect(args.contains("--control-url"))
        #expect(container?["command"] == ["custos"])
        let selector = created[.deployment]?["spec"]?["selector"]?["matchLabels"]
        #expect(created[.service]?["spec"]?["selector"] == selector)
        #expect(created[.deployment]?["spec"]?["template"]?["metadata"]?["labels"]?["custos.dev/tenant"] == "acme")
    }

    @Test("objects as stored (with the API server's defaults) are no drift; a ready Deployment makes Ready True")
    func converged() throws {
        let reconciler = try Fixtures.reconciler()
        let tenant = try Fixtures.tenant(finalizers: [Reconciler.finalizer])
        let observed = Self.existing(tenant, reconciler: reconciler)
        let actions = reconciler.reconcile(tenant, observed: observed, now: Fixtures.now)
        guard actions.count == 1, case .patchStatus(let status) = actions[0] else {
            Issue.record("expected only a status patch, got \(actions)")
            return
        }
        #expect(status.condition("Ready")?.status == "True")
        #expect(status.condition("Ready")?.reason == "GatewayAvailable")
        // Once the status is written, nothing is left to do, and the transition time is kept.
        let later = try Fixtures.tenant(finalizers: [Reconciler.finalizer], status: status.patch["status"])
        #expect(reconciler.reconcile(later, observed: observed, now: Fixtures.now.addingTimeInterval(60)) == [])
    }

    @Test("a drifted Deployment is replaced with the resourceVersion it was read with")
    func driftedDeployment() throws {
        let reconciler = try Fixtures.reconciler()
        let tenant = try Fixtures.tenant(finalizers: [Reconciler.finalizer])
        var observed = Self.existing(tenant, reconciler: reconciler)
        var deployment = observed[.deployment]!
        let spec = deployment["spec"]!.setting("replicas", to: 7)
        deployment = deployment.setting("spec", to: spec)
        observed[.deployment] = deployment
        let actions = reconciler.reconcile(tenant, observed: observed, now: Fixtures.now)
        guard case .replace(.deployment, let replacement) = actions.first else {
            Issue.record("expected a replacement, got \(actions)")
            return
        }
        #expect(replacement["metadata"]?["resourceVersion"] == "7")
        #expect(replacement["spec"]?["replicas"] == 2)  // the template's (ci/operator-values.yaml)
        #expect(actions.count == 2)  // and a status: Reconciling
    }

    @Test("a replicas change in the spec replaces the Deployment with the new count")
    func replicasChange() throws {
        let reconciler = try Fixtures.reconciler()
        let before = try Fixtures.tenant(finalizers: [Reconciler.finalizer])
        let observed = Self.existing(before, reconciler: reconciler)
        let after = try Fixtures.tenant(spec: ["replicas": 4], finalizers: [Reconciler.finalizer], generation: 2)
        let actions = reconciler.reconcile(after, observed: observed, now: Fixtures.now)
        guard case .replace(.deployment, let replacement) = actions.first else {
            Issue.record("expected a replacement, got \(actions)")
            return
        }
        #expect(replacement["spec"]?["replicas"] == 4)
        guard case .patchStatus(let status) = actions.last else {
            Issue.record("no status")
            return
        }
        #expect(status.observedGeneration == 2)
    }

    @Test("a Service replacement keeps the cluster IP the API server assigned")
    func serviceKeepsClusterIP() throws {
        let reconciler = try Fixtures.reconciler()
        let tenant = try Fixtures.tenant(finalizers: [Reconciler.finalizer])
        var observed = Self.existing(tenant, reconciler: reconciler)
        observed[.service] = observed[.service]!.setting(
            "spec", to: observed[.service]!["spec"]!.setting("ports", to: [["name": "http", "port": 80]]))
        let actions = reconciler.reconcile(tenant, observed: observed, now: Fixtures.now)
        guard case .replace(.service, let replacement) = actions.first else {
            Issue.record("expected a Service replacement, got \(actions)")
            return
        }
        #expect(replacement["spec"]?["clusterIP"] == "10.96.0.17")
        #expect(replacement["spec"]?["ports"]?[0]?["port"] == 7000)
    }

    @Test("deletion with the finalizer: the control plane deletes the tenant, then the finalizer goes")
    func deletion() throws {
        let reconciler = try Fixtures.reconciler()
        let tenant = try Fixtures.tenant(finalizers: [Reconciler.finalizer, "other/keep"], deleting: true)
        let actions = reconciler.reconcile(tenant, observed: ObservedObjects(), now: Fixtures.now)
        #expect(actions == [.deleteTenantInControlPlane(TenantID("acme")!), .removeFinalizer])
        // The replacement keeps other controllers' finalizers.
        #expect(tenant.replacingFinalizers(["other/keep"])["metadata"]?["finalizers"] == ["other/keep"])
    }

    @Test("a CustosTenant released by the tenant sync is let go without deleting the tenant")
    func releasedDeletion() throws {
        let reconciler = try Fixtures.reconciler()
        let tenant = try Fixtures.tenant(
            finalizers: [Reconciler.finalizer], deleting: true, annotations: [Reconciler.releaseAnnotation: "true"])
        #expect(reconciler.reconcile(tenant, observed: ObservedObjects(), now: Fixtures.now) == [.removeFinalizer])
        let without = try Fixtures.tenant(deleting: true)
        #expect(reconciler.reconcile(without, observed: ObservedObjects(), now: Fixtures.now) == [])
    }

    @Test("with the Ingress turned off, an Ingress the tenant owns is deleted")
    func ingressRemoved() throws {
        var object = try Fixtures.json("gateway-template.json")
        object = object.setting("ingress", to: ["enabled": false])
        let reconciler = Reconciler(
            manifests: GatewayManifests(template: try GatewayTemplate(object: object), namespace: Fixtures.namespace))
        let tenant = try Fixtures.tenant(finalizers: [Reconciler.finalizer])
        let observed = Self.existing(tenant, reconciler: try Fixtures.reconciler())
        let actions = reconciler.reconcile(tenant, observed: observed, now: Fixtures.now)
        #expect(actions.first == .delete(.ingress, name: "custos-gw-acme"))
    }
}
