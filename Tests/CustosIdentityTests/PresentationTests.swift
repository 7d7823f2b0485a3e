import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

@Suite("Verifiable presentations: challenge, domain and holder binding")
struct PresentationTests {
    static let challenge = "3f9c2a7e-challenge"
    static let domain = "verifier.example.com"

    /// A holder did:key and a credential about it from a did:custos issuer.
    struct Setup {
        let issuer: Fixture.Identity
        let holderKey: Ed25519.PrivateKey
        let holder: DID
        let credential: JSONValue

        var resolver: StaticDIDResolver { Fixture.resolver(issuer) }
        var verifier: PresentationVerifier {
            PresentationVerifier(credentialVerifier: CredentialVerifier(resolver: resolver))
        }

        func present(
            _ credentials: [JSONValue]? = nil, challenge: String? = PresentationTests.challenge,
            domain: String? = PresentationTests.domain, signer: Ed25519Signer? = nil
        ) throws -> JSONValue {
            let draft = PresentationDraft(
                holder: holder, credentials: credentials ?? [credential], id: "urn:uuid:presentation-1")
            return try VerifiablePresentation.sign(
                draft, signer: signer ?? Ed25519Signer(didKey: holderKey), challenge: challenge, domain: domain,
                created: Fixture.now)
        }
    }

    static func setup() -> Setup {
        let issuer = Fixture.identity(1)
        let holderKey = Fixture.key(20)
        let holder = DIDKey.did(for: holderKey.publicKey)
        return Setup(
            issuer: issuer, holderKey: holderKey, holder: holder,
            credential: Fixture.credential(by: issuer, about: holder.description))
    }

    static func verify(
        _ presentation: JSONValue, _ setup: Setup, challenge: String? = PresentationTests.challenge,
        domain: String? = PresentationTests.domain, holderBinding: Bool = true
    ) async -> IdentityError? {
        await Fixture.failure { () async throws(IdentityError) in
            try await setup.verifier.verify(
                presentation, challenge: challenge, domain: domain, requiresHolderAsSubject: holderBinding,
                now: Fixture.now)
        }
    }

    @Test("a presentation signed by the holder for the verifier's challenge and domain verifies")
    func valid() async throws {
        let setup = Self.setup()
        let presentation = try setup.present()
        #expect(presentation["proof"]?["proofPurpose"] == "authentication")
        #expect(presentation["proof"]?["challenge"]?.stringValue == Self.challenge)
        #expect(presentation["proof"]?["domain"]?.stringValue == Self.domain)
        let verified = try await setup.verifier.verify(
            presentation, challenge: Self.challenge, domain: Self.domain, requiresHolderAsSubject: true,
            now: Fixture.now)
        #expect(verified.holder == setup.holder)
        #expect(verified.credentials.count == 1)
        #expect(verified.credentials[0].issuer == setup.issuer.did)
        let names = verified.checks.map(\.name)
        #expect(names.contains("credential[0] proof") && names.contains("credential[0] holder"))
        #expect(verified.checks.allSatisfy { $0.outcome == .passed })
    }

    @Test("failure: a wrong or missing challenge (replay)")
    func wrongChallenge() async throws {
        let setup = Self.setup()
        let presentation = try setup.present()
        #expect(
            await Self.verify(presentation, setup, challenge: "fresh-challenge")
                == .wrongChallenge(expected: "fresh-challenge", actual: Self.challenge))
        let unbound = try setup.present(challenge: nil)
        #expect(await Self.verify(unbound, setup) == .wrongChallenge(expected: Self.challenge, actual: nil))
    }

    @Test("failure: a wrong or missing domain")
    func wrongDomain() async throws {
        let setup = Self.setup()
        #expect(
            await Self.verify(try setup.present(domain: "evil.example"), setup)
                == .wrongDomain(expected: Self.domain, actual: "evil.example"))
        #expect(
            await Self.verify(try setup.present(domain: nil), setup) == .wrongDomain(expected: Self.domain, actual: nil)
        )
    }

    @Test("holder binding: a credential about someone else fails only when the verifier requires binding")
    func holderBinding() async throws {
        let setup = Self.setup()
        let someoneElse = Fixture.credential(by: setup.issuer, about: "did:example:someone-else")
        let presentation = try setup.present([someoneElse])
        #expect(
            await Self.verify(presentation, setup)
                == .holderMismatch(holder: setup.holder.description, subject: "did:example:someone-else"))
        #expect(await Self.verify(presentation, setup, holderBinding: false) == nil)
    }

    @Test("failure: a presentation signed by another key than the holder's")
    func notSignedByHolder() async throws {
        let setup = Self.setup()
        let thief = Fixture.key(21)
        let draft = PresentationDraft(holder: setup.holder, credentials: [setup.credential])
        #expect(throws: IdentityError.self) {
            try VerifiablePresentation.sign(
                draft, signer: Ed25519Signer(didKey: thief), challenge: Self.challenge, domain: Self.domain,
                created: Fixture.now)
        }
        let stolen = try EddsaJcs2022.sign(
            draft.json(),
            options: ProofOptions(
                purpose: .authentication, created: Fixture.now, challenge: Self.challenge, domain: Self.domain),
            signer: Ed25519Signer(didKey: thief))
        #expect(
            await Self.verify(stolen, setup)
                == .methodNotControlledBy(
                    method: DIDKey.verificationMethodID(for: thief.publicKey).description,
                    controller: setup.holder.description))
    }

    @Test("failure: a presented credential changed by the holder fails although the holder's proof is fresh")
    func alteredCredential() async throws {
        let setup = Self.setup()
        guard case .object(var members) = setup.credential, case .object(var subject)? = members["credentialSubject"]
        else {
            return
        }
        subject["age"] = 21
        members["credentialSubject"] = .object(subject)
        let presentation = try setup.present([.object(members)])
        #expect(
            await Self.verify(presentation, setup) == .badSignature(method: setup.issuer.did.description + "#sign-0"))
    }

    @Test("a vc+jwt is presented as an EnvelopedVerifiableCredential and verified inside the presentation")
    func envelopedJWT() async throws {
        let setup = Self.setup()
        let draft = CredentialDraft(issuer: setup.issuer.did, subject: ["id": .string(setup.holder.description)])
        let jwt = try VCJWT.issue(draft.json(), signer: setup.issuer.signer)
        let presentation = try setup.present([.string(jwt)])
        #expect(presentation["verifiableCredential"]?[0]?["type"] == "EnvelopedVerifiableCredential")
        #expect(presentation["verifiableCredential"]?[0]?["id"]?.stringValue == "data:application/vc+jwt," + jwt)
        let verified = try await setup.verifier.verify(
            presentation, challenge: Self.challenge, domain: Self.domain, requiresHolderAsSubject: true,
            now: Fixture.now)
        #expect(verified.credentials[0].format == .vcJWT)
    }

    @Test("failure: a presentation proof made for assertionMethod, and a presentation without holder")
    func purposeAndStructure() async throws {
        let setup = Self.setup()
        let draft = PresentationDraft(holder: setup.holder, credentials: [setup.credential])
        let asAssertion = try EddsaJcs2022.sign(
            draft.json(),
            options: ProofOptions(purpose: .assertionMethod, created: Fixture.now, challenge: Self.challenge),
            signer: Ed25519Signer(didKey: setup.holderKey))
        #expect(
            await Self.verify(asAssertion, setup, domain: nil)
                == .wrongProofPurpose(expected: "authentication", actual: "assertionMethod"))
        guard case .object(var members) = try setup.present() else { return }
        members.removeValue(forKey: "holder")
        guard case .malformed(let field, _)? = await Self.verify(.object(members), setup) else {
            Issue.record("a presentation without holder was accepted")
            return
        }
        #expect(field == "holder")
    }
}
