import CustosCore
import CustosIdentity
import Foundation
import Testing

@Suite("Trust chains of VerifiedIdentityCredentials from trusted roots")
struct TrustTests {
    /// root → organisation → department → issuer, each link a VerifiedIdentityCredential.
    struct World {
        let root: Fixture.Identity
        let organisation: Fixture.Identity
        let department: Fixture.Identity
        let issuer: Fixture.Identity
        let links: [JSONValue]

        var verifier: CredentialVerifier {
            CredentialVerifier(resolver: Fixture.resolver(root, organisation, department, issuer))
        }

        func evaluator(depth: Int = 3, roots: [Fixture.Identity]? = nil) -> TrustChainEvaluator {
            TrustChainEvaluator(
                trustedRoots: Set((roots ?? [root]).map(\.did)), maximumDepth: depth, credentialVerifier: verifier)
        }
    }

    static func link(
        _ issuer: Fixture.Identity, vouchesFor subject: Fixture.Identity, number: Int, validUntil: Date? = nil,
        type: String = VerifiableCredential.verifiedIdentityType
    ) -> JSONValue {
        Fixture.credential(
            by: issuer, about: subject.did.description, types: [type], validUntil: validUntil,
            id: "urn:uuid:link-\(number)")
    }

    static func world() -> World {
        let root = Fixture.identity(30)
        let organisation = Fixture.identity(31)
        let department = Fixture.identity(32)
        let issuer = Fixture.identity(33)
        return World(
            root: root, organisation: organisation, department: department, issuer: issuer,
            links: [
                link(department, vouchesFor: issuer, number: 3),
                link(root, vouchesFor: organisation, number: 1),
                link(organisation, vouchesFor: department, number: 2),
            ])
    }

    @Test("a trusted root is trusted without a chain")
    func root() async {
        let world = Self.world()
        let decision = await world.evaluator().evaluate(world.root.did, credentials: [], now: Fixture.now)
        guard case .trusted(let chain) = decision else {
            Issue.record("the root is not trusted")
            return
        }
        #expect(chain.isEmpty)
    }

    @Test("an issuer three links below a root is trusted, with the chain from the root down")
    func chainOfThree() async throws {
        let world = Self.world()
        let decision = await world.evaluator().evaluate(world.issuer.did, credentials: world.links, now: Fixture.now)
        let chain = try decision.requireTrusted(world.issuer.did)
        #expect(chain.map(\.issuer) == [world.root.did, world.organisation.did, world.department.did])
        #expect(chain.map(\.subject) == [world.organisation.did, world.department.did, world.issuer.did])
        #expect(chain.map(\.credentialID) == ["urn:uuid:link-1", "urn:uuid:link-2", "urn:uuid:link-3"])
    }

    @Test("failure: a chain longer than the maximum depth is refused, and says so")
    func tooDeep() async throws {
        let world = Self.world()
        let decision = await world.evaluator(depth: 2).evaluate(
            world.issuer.did, credentials: world.links, now: Fixture.now)
        guard case .untrusted(let reasons) = decision else {
            Issue.record("a chain of 3 links was accepted with depth 2")
            return
        }
        #expect(reasons.contains { $0.contains("has 3 links, more than the maximum of 2") })
        let error = IdentityError.untrustedIssuer(issuer: world.issuer.did.description, reasons: reasons)
        #expect(throws: error) { try decision.requireTrusted(world.issuer.did) }
        #expect(error.description.hasPrefix("issuer \(world.issuer.did) is not trusted: "))
    }

    @Test("failure: no chain from a root; an expired link and a link of the wrong type are named in the reasons")
    func broken() async throws {
        let world = Self.world()
        let noRoot = await world.evaluator(roots: [Fixture.identity(40)]).evaluate(
            world.issuer.did, credentials: world.links, now: Fixture.now)
        guard case .untrusted(let reasons) = noRoot else {
            Issue.record("trusted without a root")
            return
        }
        #expect(
            reasons.last
                == "no chain of valid VerifiedIdentityCredentials leads from a trusted root to \(world.issuer.did)")

        let expired = Self.link(
            world.organisation, vouchesFor: world.department, number: 2, validUntil: Fixture.issued + 60)
        let wrongType = Self.link(world.department, vouchesFor: world.issuer, number: 3, type: "MembershipCredential")
        let cases: [([JSONValue], String)] = [
            (
                [world.links[0], world.links[1], expired],
                "urn:uuid:link-2 (\(world.organisation.did) → \(world.department.did)) was rejected: the credential expired"
            ),
            (
                [wrongType, world.links[1], world.links[2]],
                "urn:uuid:link-3 (\(world.department.did) → \(world.issuer.did)) is not a VerifiedIdentityCredential"
            ),
        ]
        for (links, expected) in cases {
            let decision = await world.evaluator().evaluate(world.issuer.did, credentials: links, now: Fixture.now)
            guard case .untrusted(let reasons) = decision else {
                Issue.record("trusted through a bad link")
                continue
            }
            #expect(reasons.contains { $0.contains(expected) }, "\(reasons)")
        }
    }

    @Test("a link forged in the name of the root does not count")
    func forgedLink() async {
        let world = Self.world()
        guard case .object(var members) = world.links[1] else { return }
        members["credentialSubject"] = ["id": .string(world.issuer.did.description)]
        let decision = await world.evaluator().evaluate(
            world.issuer.did, credentials: [.object(members)], now: Fixture.now)
        guard case .untrusted(let reasons) = decision else {
            Issue.record("a forged link was accepted")
            return
        }
        #expect(reasons.contains { $0.contains("does not verify") })
    }

    @Test("cycles between link credentials end the search")
    func cycle() async {
        let world = Self.world()
        let links = [
            Self.link(world.department, vouchesFor: world.issuer, number: 1),
            Self.link(world.issuer, vouchesFor: world.department, number: 2),
        ]
        let decision = await world.evaluator().evaluate(world.issuer.did, credentials: links, now: Fixture.now)
        #expect(!decision.isTrusted)
    }
}
