import Testing

@testable import CustosPolicy

/// The SSI Bridge routes' requests decided by the shipped policies: the Integration Services roles (is-api.md
/// §2.2) and the key scopes, as the gateway asks them.
@Suite("Identity route policies")
struct IdentityRequestsTests {
    static func decide(
        _ action: String, role: String? = nil, did: String = "did:key:me", resource: String? = nil,
        scopes: [String] = LedgerRequests.allScopes, changesRole: Bool = false, initiatorVerified: Bool = false
    ) throws -> Decision? {
        let facts = IdentityRequests.Facts(
            tenant: "acme", keyID: "key_1", scopes: scopes, unixTime: 1_764_583_200, identity: role.map { (did, $0) },
            resource: resource,
            changesRole: changesRole, initiatorVerified: initiatorVerified)
        guard let (request, entities) = IdentityRequests.request(action, facts) else { return nil }
        return Authorizer.isAuthorized(
            request, policies: BasePolicies.policySet, entities: try BasePolicies.actionEntities.adding(entities))
    }

    @Test("key routes are allowed to a key of the tenant; identity routes need an identity")
    func principals() throws {
        for action in IdentityRequests.keyActions {
            #expect(try Self.decide(action, resource: "did:key:x")?.isAllowed == true, "\(action)")
        }
        for action in IdentityRequests.identityActions where action != "updateIdentity" {
            #expect(try Self.decide(action) == nil, "\(action) without a JWT has no principal")
        }
    }

    @Test("roles: Admin manages roots and others; a User only itself; Managers issue and revoke")
    func roles() throws {
        #expect(try Self.decide("addTrustedRoot", role: "Admin", resource: "did:key:r")?.isAllowed == true)
        #expect(try Self.decide("addTrustedRoot", role: "Manager", resource: "did:key:r")?.isAllowed == false)
        #expect(try Self.decide("deleteIdentity", role: "User", resource: "did:key:me")?.isAllowed == true)
        #expect(try Self.decide("deleteIdentity", role: "User", resource: "did:key:other")?.isAllowed == false)
        #expect(try Self.decide("deleteIdentity", role: "Admin", resource: "did:key:other")?.isAllowed == true)
        let selfPromotion = try Self.decide("updateIdentity", role: "User", resource: "did:key:me", changesRole: true)
        #expect(selfPromotion?.isAllowed == false)
        #expect(try Self.decide("createCredential", role: "User")?.isAllowed == false)
        #expect(try Self.decide("createCredential", role: "User", initiatorVerified: true)?.isAllowed == true)
        #expect(try Self.decide("createCredential", role: "Manager")?.isAllowed == true)
        #expect(try Self.decide("revokeCredential", role: "User", resource: "did:key:me")?.isAllowed == true)
        #expect(try Self.decide("revokeCredential", role: "User", resource: "did:key:other")?.isAllowed == false)
        #expect(try Self.decide("revokeCredential", role: "Manager", resource: "did:key:other")?.isAllowed == true)
    }

    @Test("only a tenant-admin key sets roles without a JWT, and scopes still apply")
    func tenantAdminKey() throws {
        #expect(try Self.decide("updateIdentity", resource: "did:key:x", changesRole: true)?.isAllowed == true)
        let narrow = ["identities:read", "identities:write"]
        #expect(try Self.decide("updateIdentity", resource: "did:key:x", scopes: narrow)?.isAllowed == false)
        #expect(try Self.decide("createIdentity", scopes: ["identities:read"])?.isAllowed == false)
    }
}
