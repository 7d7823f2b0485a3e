import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

@Suite("VC Data Model 2.0 credentials: issue and verify")
struct CredentialTests {
    static func verify(
        _ credential: JSONValue, resolver: any DIDResolver, now: Date = Fixture.now,
        options: CredentialVerifier.Options = .init()
    ) async -> IdentityError? {
        await Fixture.failure { () async throws(IdentityError) in
            try await CredentialVerifier(resolver: resolver, options: options).verify(credential, now: now)
        }
    }

    @Test("an issued credential has the VC 2.0 shape and verifies through the issuer's did:custos document")
    func issueAndVerify() async throws {
        let issuer = Fixture.identity(1)
        let credential = Fixture.credential(by: issuer, validUntil: Fixture.issued + 365 * 86_400)
        #expect(credential["@context"] == [.string(VerifiableCredential.contextV2)])
        #expect(credential["type"] == ["VerifiableCredential", "ExampleCredential"])
        #expect(credential["issuer"]?.stringValue == issuer.did.description)
        #expect(credential["validFrom"] == "2025-01-01T00:00:00Z")
        #expect(credential["validUntil"] == "2026-01-01T00:00:00Z")
        #expect(credential["proof"]?["cryptosuite"] == "eddsa-jcs-2022")
        #expect(credential["proof"]?["proofPurpose"] == "assertionMethod")

        let verified = try await CredentialVerifier(resolver: Fixture.resolver(issuer)).verify(
            credential, now: Fixture.now)
        #expect(verified.format == .dataIntegrity)
        #expect(verified.issuer == issuer.did)
        #expect(verified.types == ["VerifiableCredential", "ExampleCredential"])
        #expect(verified.subjectIDs == ["did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"])
        #expect(verified.proofs.count == 1)
        #expect(verified.checks.map(\.name) == ["structure", "proof", "validity", "status"])
        #expect(verified.checks.allSatisfy { $0.outcome == .passed })
    }

    @Test("a did:key issuer needs no document at all")
    func didKeyIssuer() async throws {
        let key = Fixture.key(5)
        let draft = CredentialDraft(
            issuer: DIDKey.did(for: key.publicKey), subject: ["id": "did:example:subject", "degree": "MSc"],
            types: ["ExampleDegreeCredential"], additionalContexts: ["https://www.w3.org/ns/credentials/examples/v2"],
            additionalProperties: ["name": "Degree"])
        let credential = try VerifiableCredential.issue(
            draft, signer: Ed25519Signer(didKey: key), created: Fixture.issued)
        #expect(credential["proof"]?["@context"] == credential["@context"])
        let verified = try await CredentialVerifier(resolver: DIDKeyResolver()).verify(credential, now: Fixture.now)
        #expect(verified.issuer == DIDKey.did(for: key.publicKey))
    }

    @Test("validity window: not yet valid before validFrom, expired after validUntil, valid in between")
    func validityWindow() async throws {
        let issuer = Fixture.identity(1)
        let resolver = Fixture.resolver(issuer)
        let until = Fixture.issued + 7 * 86_400
        let credential = Fixture.credential(by: issuer, validUntil: until)
        #expect(await Self.verify(credential, resolver: resolver, now: Fixture.issued + 86_400) == nil)
        #expect(await Self.verify(credential, resolver: resolver, now: until) == nil)
        #expect(
            await Self.verify(credential, resolver: resolver, now: until + 1)
                == .expired(validUntil: "2025-01-08T00:00:00Z"))
        // Five minutes of clock skew are tolerated before validFrom, not more.
        #expect(await Self.verify(credential, resolver: resolver, now: Fixture.issued - 60) == nil)
        let early = await Self.verify(credential, resolver: resolver, now: Fixture.issued - 3600)
        #expect(early == .proofCreatedInFuture(created: "2025-01-01T00:00:00Z"))

        var draft = CredentialDraft(issuer: issuer.did, subject: ["id": "did:example:x"])
        draft.validFrom = Fixture.issued + 30 * 86_400
        let future = try VerifiableCredential.issue(draft, signer: issuer.signer, created: Fixture.issued)
        #expect(await Self.verify(future, resolver: resolver) == .notYetValid(validFrom: "2025-01-31T00:00:00Z"))
    }

    @Test("the issuer's key comes from the caller's resolver; an unknown issuer is reported")
    func unknownIssuer() async throws {
        let issuer = Fixture.identity(1)
        let credential = Fixture.credential(by: issuer)
        #expect(await Self.verify(credential, resolver: StaticDIDResolver()) == .didNotFound(issuer.did.description))
        let other = Fixture.identity(2)
        #expect(
            await Self.verify(credential, resolver: Fixture.resolver(other)) == .didNotFound(issuer.did.description))
    }

    @Test("failure: a proof by someone else's key, claiming another issuer")
    func foreignIssuerKey() async throws {
        let issuer = Fixture.identity(1)
        let impostor = Fixture.identity(2)
        let draft = CredentialDraft(issuer: issuer.did, subject: ["id": "did:example:x"])
        #expect(
            throws: IdentityError.methodNotControlledBy(
                method: impostor.did.description + "#sign-0", controller: issuer.did.description)
        ) {
            try VerifiableCredential.issue(draft, signer: impostor.signer, created: Fixture.issued)
        }
        let forged = try EddsaJcs2022.sign(
            draft.json(), options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued),
            signer: impostor.signer)
        #expect(
            await Self.verify(forged, resolver: Fixture.resolver(issuer, impostor))
                == .methodNotControlledBy(
                    method: impostor.did.description + "#sign-0", controller: issuer.did.description))
    }

    @Test("failure: structural errors name the field")
    func structure() async throws {
        let resolver = DIDKeyResolver()
        let cases: [(String, String)] = [
            (
                #"{"@context":["https://example.com"],"type":["VerifiableCredential"],"issuer":"did:example:1","credentialSubject":{}}"#,
                "@context"
            ),
            (
                #"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":["Other"],"issuer":"did:example:1","credentialSubject":{}}"#,
                "type"
            ),
            (
                #"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","credentialSubject":{}}"#,
                "issuer"
            ),
            (
                #"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":"https://x.example"}"#,
                "issuer"
            ),
            (
                #"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":"did:example:1"}"#,
                "credentialSubject"
            ),
            (
                #"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":{"id":"did:example:1"},"credentialSubject":{},"validFrom":"soon"}"#,
                "validFrom"
            ),
            (
                #"{"@context":["https://www.w3.org/ns/credentials/v2"],"type":"VerifiableCredential","issuer":"did:example:1","credentialSubject":{},"validFrom":"2025-01-02T00:00:00Z","validUntil":"2025-01-01T00:00:00Z"}"#,
                "validUntil"
            ),
        ]
        for (text, field) in cases {
            guard case .malformed(let reported, _)? = await Self.verify(Fixture.json(text), resolver: resolver) else {
                Issue.record("not reported as malformed: \(text)")
                continue
            }
            #expect(reported == field, "\(text)")
        }
        guard case .malformed(_, let reason)? = await Self.verify("just a string", resolver: resolver) else {
            Issue.record("a string was accepted as a credential")
            return
        }
        #expect(reason == "must be a JSON object")
    }

    @Test("an issuer given as an object with id, and several subjects, are read")
    func issuerObjectAndSubjects() async throws {
        let key = Fixture.key(6)
        let did = DIDKey.did(for: key.publicKey)
        var draft = CredentialDraft(issuer: did, subject: ["id": "did:example:a"])
        draft.subjects.append(["id": "did:example:b"])
        var unsigned = draft.json()
        if case .object(var members) = unsigned {
            members["issuer"] = ["id": .string(did.description), "name": "Example University"]
            unsigned = .object(members)
        }
        let credential = try EddsaJcs2022.sign(
            unsigned, options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued),
            signer: Ed25519Signer(didKey: key))
        let verified = try await CredentialVerifier(resolver: DIDKeyResolver()).verify(credential, now: Fixture.now)
        #expect(verified.issuer == did)
        #expect(verified.subjectIDs == ["did:example:a", "did:example:b"])
    }

    @Test("failure: a proof for authentication does not make a credential")
    func wrongPurpose() async throws {
        let key = Fixture.key(6)
        let draft = CredentialDraft(issuer: DIDKey.did(for: key.publicKey), subject: ["id": "did:example:a"])
        let signed = try EddsaJcs2022.sign(
            draft.json(), options: ProofOptions(purpose: .authentication, created: Fixture.issued),
            signer: Ed25519Signer(didKey: key))
        #expect(
            await Self.verify(signed, resolver: DIDKeyResolver())
                == .wrongProofPurpose(expected: "assertionMethod", actual: "authentication"))
    }
}
