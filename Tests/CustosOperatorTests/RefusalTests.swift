import CustosCore
import CustosOperator
import Foundation
import Testing

/// CustosTenants that must not produce any object: each is refused with a Ready=False condition saying why.
@Suite("Refused CustosTenants")
struct RefusalTests {
    static func refusal(_ tenant: CustosTenant, observed: ObservedObjects = ObservedObjects()) throws
        -> TenantCondition?
    {
        let actions = try Fixtures.reconciler().reconcile(tenant, observed: observed, now: Fixtures.now)
        guard actions.count == 1, case .patchStatus(let status) = actions[0] else {
            Issue.record("expected only a status patch, got \(actions)")
            return nil
        }
        #expect(status.gatewayURL == nil)
        return status.condition("Ready")
    }

    @Test(
        "tenant ids that would make invalid or foreign names are refused",
        arguments: [
            "Acme", "ab", "a--b", "acme-", "9acme", "../kube-system", "acme.evil", String(repeating: "a", count: 33),
        ]
    )
    func invalidTenantID(id: String) throws {
        let condition = try Self.refusal(try Fixtures.tenant("acme", tenantId: id))
        #expect(condition?.status == "False")
        #expect(condition?.reason == "InvalidSpec")
    }

    @Test("a CustosTenant named otherwise than its tenant cannot take that tenant's objects")
    func nameMismatch() throws {
        let condition = try Self.refusal(try Fixtures.tenant("innocent", tenantId: "acme"))
        #expect(condition?.reason == "InvalidSpec")
        #expect(condition?.message.contains("metadata.name") == true)
    }

    @Test("a CustosTenant of another namespace is refused")
    func otherNamespace() throws {
        let condition = try Self.refusal(try Fixtures.tenant(namespace: "kube-system"))
        #expect(condition?.message.contains("namespace custos only") == true)
    }

    @Test("unknown fields and out-of-range replicas are refused", arguments: ["image", "replicas", "resources"])
    func badSpec(field: String) throws {
        let spec: [String: JSONValue] =
            switch field {
            case "image": ["image": "evil/image:latest"]
            case "replicas": ["replicas": 0]
            default: ["resources": ["requests": "lots"]]
            }
        let condition = try Self.refusal(try Fixtures.tenant(spec: spec))
        #expect(condition?.reason == "InvalidSpec")
    }

    @Test("objects under the tenant's names that this CustosTenant does not control are left alone")
    func nameTaken() throws {
        let reconciler = try Fixtures.reconciler()
        let other = try Fixtures.tenant()
        var foreign = Fixtures.created(reconciler.reconcile(other, observed: ObservedObjects(), now: Fixtures.now))
        foreign[.service] = foreign[.service]!.setting(
            "metadata", to: foreign[.service]!["metadata"]!.setting("ownerReferences", to: []))
        let condition = try Self.refusal(
            try Fixtures.tenant(), observed: ObservedObjects([.service: Fixtures.stored(foreign[.service]!)]))
        #expect(condition?.reason == "NameTaken")
    }

    @Test("deleting a refused CustosTenant that carries the finalizer by hand deletes no tenant")
    func refusedDeletion() throws {
        let tenant = try Fixtures.tenant(
            "innocent", tenantId: "acme", finalizers: [Reconciler.finalizer], deleting: true)
        #expect(
            try Fixtures.reconciler().reconcile(tenant, observed: ObservedObjects(), now: Fixtures.now) == [
                .removeFinalizer
            ])
    }

    @Test("a gateway template whose name prefix could make names over 63 characters is refused")
    func longPrefix() throws {
        let object = try Fixtures.json("gateway-template.json").setting(
            "namePrefix", to: .string(String(repeating: "a", count: 30) + "--"))
        #expect(throws: OperatorError.self) { try GatewayTemplate(object: object) }
    }
}
