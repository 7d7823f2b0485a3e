import CustosPolicy
import Foundation
import Testing

/// The shipped `Policies/`: they parse, validate against the schema (here and in cedarpy), decide every route's
/// requests like cedarpy, and implement the documented model.
@Suite("Shipped policies")
struct ShippedPolicyTests {
    @Test("the schema parses and the base policies validate against it")
    func validates() throws {
        let schema = try ShippedPolicies.schema
        let policies = try ShippedPolicies.policies
        #expect(policies.policies.count > 20)
        #expect(Validator.problems(policies, against: schema).isEmpty)
        for file in try ShippedPolicies.baseFiles {
            let set = try PolicySet(parsing: try ShippedPolicies.read("base/\(file)"))
            #expect(Validator.problems(set, against: schema).isEmpty, "\(file)")
        }
    }

    @Test(
        "every tenant and admin route has an action",
        arguments: [
            "createLedgerMessage", "listLedgerMessages", "getLedgerMessage", "getReceipt", "getLedger", "getCheckpoint",
            "getConsistency", "listMilestones", "getLatestMilestone", "getTile", "listTenants", "createTenant",
            "getTenant", "listKeys", "createKey", "revokeKey", "rotateCoordinatorKey",
        ])
    func routeHasAction(_ name: String) throws {
        let action = try #require(try ShippedPolicies.schema.actions[name])
        #expect(!action.principals.isEmpty)
    }

    @Test(
        "every action that applies to requests is in exactly one of tenantApi and adminApi, and tenant ones in one data scope"
    )
    func actionGroups() throws {
        let schema = try ShippedPolicies.schema
        for action in schema.actions.values where !action.principals.isEmpty {
            let tenant = schema.action(action.uid.id, isIn: "tenantApi")
            let admin = schema.action(action.uid.id, isIn: "adminApi")
            #expect(tenant != admin, "\(action.uid.id)")
            if tenant {
                // verify is the one group beside a data scope: the verification routes are in it as well.
                #expect(
                    TenantWorld.scopes.filter { $0 != "verify" && schema.action(action.uid.id, isIn: $0) }.count == 1,
                    "\(action.uid.id)")
            }
        }
    }

    @Test(
        "cedarpy accepts the schema and validates the base policies",
        .enabled(if: Oracle.isAvailable, "cedarpy is not installed"))
    func cedarValidates() throws {
        let script = """
            import cedarpy, sys, json
            data = json.load(sys.stdin)
            result = cedarpy.validate_policies(data["policies"], data["schema"])
            print(json.dumps({"ok": result.validation_passed, "errors": [str(e) for e in result.errors]}))
            """
        let input = JSONText.object([
            ("policies", JSONText.string(try ShippedPolicies.baseText)),
            ("schema", JSONText.string(try ShippedPolicies.schemaText)),
        ])
        let output = try Oracle.python(["-c", script], input: input)
        #expect(output.contains("\"ok\": true"), "\(output)")
    }

    @Test("every route's requests decide like cedarpy", .enabled(if: Oracle.isAvailable, "cedarpy is not installed"))
    func differential() throws {
        let cases = ShippedRequests.cases(policies: try ShippedPolicies.baseText, schema: try ShippedPolicies.schema)
        #expect(cases.count > 50)
        #expect(cases.map(\.requests.count).reduce(0, +) > 5_000)
        let differences = try Oracle.differences(cases)
        #expect(
            differences.isEmpty,
            "\(differences.count) differences; first:\n\(differences.prefix(3).joined(separator: "\n\n"))")
    }
}
