import CustosCore
import Testing

@testable import CustosIdentity

/// A fetcher that is the lists' own issuer hands the verifier the bits directly; the verifier still checks the
/// issuer and the purpose, and what the bits say.
@Suite("Issued status lists")
struct IssuedStatusListTests {
    struct IssuerFetcher: StatusListFetcher {
        let lists: [String: IssuedStatusList]

        func statusListCredential(at url: String) async throws(IdentityError) -> JSONValue {
            throw IdentityError.statusUnavailable(statusList: url, reason: "only issued lists here")
        }

        func issuedStatusList(at url: String) async throws(IdentityError) -> IssuedStatusList? { lists[url] }
    }

    static func verify(_ lists: StatusListTests.Lists, issued: [String: IssuedStatusList]) async -> IdentityError? {
        let verifier = CredentialVerifier(
            resolver: Fixture.resolver(lists.issuer, Fixture.identity(2)), statusFetcher: IssuerFetcher(lists: issued))
        return await Fixture.failure { () async throws(IdentityError) in
            try await verifier.verify(lists.credential, now: Fixture.now)
        }
    }

    @Test("the issued bits decide; another issuer or purpose is refused")
    func issuedLists() async throws {
        var lists = try StatusListTests.lists()
        func issued(_ issuer: DID? = nil, revocationPurpose: StatusPurpose = .revocation) -> [String: IssuedStatusList]
        {
            [
                StatusListTests.revocationURL: IssuedStatusList(
                    issuer: issuer ?? lists.issuer.did, purpose: revocationPurpose, list: lists.revocation),
                StatusListTests.suspensionURL: IssuedStatusList(
                    issuer: issuer ?? lists.issuer.did, purpose: .suspension, list: lists.suspension),
            ]
        }
        #expect(await Self.verify(lists, issued: issued()) == nil)
        try lists.revocation.set(lists.index)
        #expect(
            await Self.verify(lists, issued: issued())
                == .revoked(statusList: StatusListTests.revocationURL, index: lists.index))
        let stranger = Fixture.identity(2).did
        if case .statusListInvalid = await Self.verify(lists, issued: issued(stranger)) {
        } else {
            Issue.record("a list of another issuer must be refused")
        }
        #expect(
            await Self.verify(lists, issued: issued(revocationPurpose: .suspension))
                == .statusPurposeMismatch(entry: "revocation", list: "suspension"))
    }
}
