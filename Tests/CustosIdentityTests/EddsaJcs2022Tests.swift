import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

@Suite("Data Integrity eddsa-jcs-2022")
struct EddsaJcs2022Tests {
    static let w3cMethod =
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    static let w3cCreated = Timestamp.parse("2023-02-24T23:36:38Z")!
    static let w3cProofValue =
        "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"

    static func w3cSigned() throws -> JSONValue {
        try EddsaJcs2022.sign(
            Fixture.w3cUnsigned, options: ProofOptions(purpose: .assertionMethod, created: w3cCreated),
            signer: Ed25519Signer(didKey: Fixture.w3cKey))
    }

    static let anyIssuer = ProofExpectation(purpose: .assertionMethod)

    @Test("W3C vector #1: canonical forms, both hashes, signature and proofValue")
    func w3cVector() throws {
        #expect(
            try JCS.canonicalString(Fixture.w3cUnsigned)
                == #"{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"credentialSubject":{"alumniOf":"The School of Examples","id":"did:example:abcdefgh"},"description":"A minimum viable example of an Alumni Credential.","id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","issuer":"https://vc.example/issuers/5678","name":"Alumni Credential","type":["VerifiableCredential","AlumniCredential"],"validFrom":"2023-01-01T00:00:00Z"}"#
        )
        let signed = try Self.w3cSigned()
        let proof = try #require(signed["proof"])
        #expect(proof["proofValue"]?.stringValue == Self.w3cProofValue)
        let config = try JSONParser.parse(
            JCS.canonicalString(proof).replacingOccurrences(of: #","proofValue":"\#(Self.w3cProofValue)""#, with: ""))
        #expect(
            try JCS.canonicalString(config)
                == #"{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],"created":"2023-02-24T23:36:38Z","cryptosuite":"eddsa-jcs-2022","proofPurpose":"assertionMethod","type":"DataIntegrityProof","verificationMethod":"\#(Self.w3cMethod)"}"#
        )
        let hashData = try EddsaJcs2022.hashData(document: Fixture.w3cUnsigned, proofConfiguration: config)
        #expect(Hex.encode(hashData.prefix(32)) == "66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db")
        #expect(Hex.encode(hashData.suffix(32)) == "59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19")
        #expect(
            Hex.encode(Fixture.w3cKey.signature(for: hashData))
                == "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b80351da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808"
        )
    }

    @Test("the published W3C signed credential verifies through did:key resolution")
    func w3cVerify() async throws {
        let published = Fixture.json(
            """
            {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
             "id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","type":["VerifiableCredential","AlumniCredential"],
             "name":"Alumni Credential","description":"A minimum viable example of an Alumni Credential.",
             "issuer":"https://vc.example/issuers/5678","validFrom":"2023-01-01T00:00:00Z",
             "credentialSubject":{"id":"did:example:abcdefgh","alumniOf":"The School of Examples"},
             "proof":{"type":"DataIntegrityProof","cryptosuite":"eddsa-jcs-2022","created":"2023-02-24T23:36:38Z",
               "verificationMethod":"\(Self.w3cMethod)","proofPurpose":"assertionMethod",
               "@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
               "proofValue":"\(Self.w3cProofValue)"}}
            """)
        let proofs = try await DataIntegrityVerifier(resolver: DIDKeyResolver()).verify(
            published, expecting: Self.anyIssuer, now: Fixture.now)
        #expect(proofs.count == 1)
        #expect(proofs[0].method.id.description == Self.w3cMethod)
        #expect(proofs[0].summary.contains("eddsa-jcs-2022"))
    }

    @Test("documents without @context get no @context in the proof, and still verify")
    func noContext() async throws {
        let document: JSONValue = ["hello": "world", "n": 1.5]
        let signed = try EddsaJcs2022.sign(
            document, options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued),
            signer: Ed25519Signer(didKey: Fixture.key(2)))
        #expect(signed["proof"]?["@context"] == nil)
        _ = try await DataIntegrityVerifier(resolver: DIDKeyResolver()).verify(
            signed, expecting: Self.anyIssuer, now: Fixture.now)
    }

    func verify(_ document: JSONValue, _ expectation: ProofExpectation = anyIssuer, now: Date = Fixture.now) async
        -> IdentityError?
    {
        await Fixture.failure { () async throws(IdentityError) in
            try await DataIntegrityVerifier(resolver: DIDKeyResolver()).verify(
                document, expecting: expectation, now: now)
        }
    }

    func replacingProof(_ document: JSONValue, _ key: String, with value: JSONValue?) -> JSONValue {
        guard case .object(var members) = document, case .object(var proof)? = members["proof"] else { return document }
        proof[key] = value
        members["proof"] = .object(proof)
        return .object(members)
    }

    @Test("failure: a changed document gives badSignature")
    func badSignature() async throws {
        guard case .object(var members) = try Self.w3cSigned() else { return }
        members["name"] = "Forged Credential"
        #expect(await verify(.object(members)) == .badSignature(method: Self.w3cMethod))
    }

    @Test("failure: no proof")
    func missingProof() async {
        #expect(await verify(Fixture.w3cUnsigned) == .missingProof)
    }

    @Test("failure: unsupported cryptosuite")
    func unsupportedCryptosuite() async throws {
        #expect(
            await verify(replacingProof(try Self.w3cSigned(), "cryptosuite", with: "eddsa-rdfc-2022"))
                == .unsupportedCryptosuite("eddsa-rdfc-2022"))
    }

    @Test("failure: unsupported proof type")
    func unsupportedProofType() async throws {
        #expect(
            await verify(replacingProof(try Self.w3cSigned(), "type", with: "Ed25519Signature2020"))
                == .unsupportedProofType("Ed25519Signature2020"))
    }

    @Test("failure: wrong proof purpose")
    func wrongPurpose() async throws {
        let expectation = ProofExpectation(purpose: .authentication)
        #expect(
            await verify(try Self.w3cSigned(), expectation)
                == .wrongProofPurpose(expected: "authentication", actual: "assertionMethod"))
    }

    @Test("created is optional but signed: removing it breaks the signature; a non-date is malformed")
    func createdOptional() async throws {
        let undated = try EddsaJcs2022.sign(
            ["a": 1], options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued),
            signer: Ed25519Signer(didKey: Fixture.key(2)))
        let key = Fixture.key(2)
        var config: JSONValue = [
            "type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "proofPurpose": "assertionMethod",
            "verificationMethod": .string(DIDKey.verificationMethodID(for: key.publicKey).description),
        ]
        let signature = key.signature(for: try EddsaJcs2022.hashData(document: ["a": 1], proofConfiguration: config))
        config = JSONValue.object(
            config.objectValue!.merging(["proofValue": .string(Multibase.encode(signature, base: .base58btc))]) { $1 })
        #expect(await verify(["a": 1, "proof": config]) == nil)
        let stripped = replacingProof(undated, "created", with: nil)
        guard case .badSignature? = await verify(stripped) else {
            Issue.record("a proof whose created was removed verified")
            return
        }
        let error = await verify(replacingProof(try Self.w3cSigned(), "created", with: "yesterday"))
        #expect(error == .malformed(field: "proof.created", reason: "must be an RFC 3339 date-time, got 'yesterday'"))
    }

    @Test("failure: a proof created in the future")
    func createdInFuture() async throws {
        let error = await verify(try Self.w3cSigned(), now: Self.w3cCreated.addingTimeInterval(-3600))
        #expect(error == .proofCreatedInFuture(created: "2023-02-24T23:36:38Z"))
    }

    @Test("failure: an expired proof; before expiry it verifies")
    func expiresHonoured() async throws {
        let expires = Fixture.issued.addingTimeInterval(3600)
        let signed = try EddsaJcs2022.sign(
            ["a": 1], options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued, expires: expires),
            signer: Ed25519Signer(didKey: Fixture.key(2)))
        #expect(await verify(signed, now: Fixture.issued.addingTimeInterval(60)) == nil)
        #expect(await verify(signed, now: Fixture.now) == .proofExpired(expires: Timestamp.iso8601(expires)))
    }

    @Test("failure: the document's @context does not start with the proof's")
    func contextMismatch() async throws {
        guard case .object(var members) = try Self.w3cSigned() else { return }
        members["@context"] = ["https://www.w3.org/ns/credentials/v2"]
        #expect(await verify(.object(members)) == .contextMismatch)
    }

    @Test("failure: proofValue not multibase base58btc, or not 64 bytes")
    func badProofValue() async throws {
        let signed = try Self.w3cSigned()
        let noZ = await verify(
            replacingProof(signed, "proofValue", with: .string(String(Self.w3cProofValue.dropFirst()))))
        #expect(noZ == .malformed(field: "proof.proofValue", reason: "must be multibase base58btc (start with 'z')"))
        guard case .malformed(let field, _)? = await verify(replacingProof(signed, "proofValue", with: "z1111")) else {
            Issue.record("short proofValue accepted")
            return
        }
        #expect(field == "proof.proofValue")
    }

    @Test("failure: the verification method must belong to the expected controller")
    func controllerBinding() async throws {
        let expectation = ProofExpectation(purpose: .assertionMethod, controller: try DID("did:example:issuer"))
        #expect(
            await verify(try Self.w3cSigned(), expectation)
                == .methodNotControlledBy(method: Self.w3cMethod, controller: "did:example:issuer"))
    }

    @Test("failure: a keyAgreement method cannot sign")
    func keyAgreementCannotSign() async throws {
        let did = DIDKey.did(for: Fixture.w3cKey.publicKey)
        let agreement = try DIDKey.document(for: did).methods(for: .keyAgreement)[0].id.description
        let signed = replacingProof(try Self.w3cSigned(), "verificationMethod", with: .string(agreement))
        #expect(await verify(signed) == .methodNotAuthorized(method: agreement, relationship: "assertionMethod"))
    }

    @Test("failure: a verification method missing from the DID document")
    func unknownMethod() async throws {
        let method = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#other"
        let signed = replacingProof(try Self.w3cSigned(), "verificationMethod", with: .string(method))
        #expect(await verify(signed) == .unknownVerificationMethod(method))
    }

    @Test("proof sets: two independent signers; policy all fails on one bad proof, any accepts")
    func proofSets() async throws {
        let first = try EddsaJcs2022.sign(
            Fixture.w3cUnsigned, options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued),
            signer: Ed25519Signer(didKey: Fixture.key(1)))
        let both = try EddsaJcs2022.sign(
            first, options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued),
            signer: Ed25519Signer(didKey: Fixture.key(2)))
        #expect(both["proof"]?.arrayValue?.count == 2)
        let proofs = try await DataIntegrityVerifier(resolver: DIDKeyResolver()).verify(
            both, expecting: Self.anyIssuer, now: Fixture.now)
        #expect(proofs.count == 2)

        guard case .object(var members) = both, case .array(var set)? = members["proof"] else { return }
        set[1] = replacingProof(["proof": set[1]], "created", with: "2024-12-31T00:00:00Z")["proof"]!
        members["proof"] = .array(set)
        let oneBad = JSONValue.object(members)
        guard case .badSignature? = await verify(oneBad) else {
            Issue.record("policy all accepted a bad proof")
            return
        }
        var any = Self.anyIssuer
        any.policy = .any
        let accepted = try await DataIntegrityVerifier(resolver: DIDKeyResolver()).verify(
            oneBad, expecting: any, now: Fixture.now)
        #expect(accepted.count == 1)
    }

    @Test("proof chains: previousProof covers the named proof; removing it breaks the chain")
    func proofChains() async throws {
        let first = try EddsaJcs2022.sign(
            Fixture.w3cUnsigned,
            options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued, id: "urn:proof:1"),
            signer: Ed25519Signer(didKey: Fixture.key(1)))
        let chained = try EddsaJcs2022.sign(
            first,
            options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued, previousProof: ["urn:proof:1"]),
            signer: Ed25519Signer(didKey: Fixture.key(2)))
        #expect(chained["proof"]?[1]?["previousProof"] == "urn:proof:1")
        #expect(await verify(chained) == nil)
        guard case .object(var members) = chained, case .array(let set)? = members["proof"] else { return }
        members["proof"] = .array([set[1]])
        guard case .malformed(let field, _)? = await verify(.object(members)) else {
            Issue.record("a chained proof without its predecessor was accepted")
            return
        }
        #expect(field == "proof.previousProof")
    }

    @Test("challenge and domain are signed and checked")
    func challengeAndDomain() async throws {
        let signed = try EddsaJcs2022.sign(
            ["a": 1],
            options: ProofOptions(
                purpose: .authentication, created: Fixture.issued, challenge: "c-123", domain: "verifier.example"),
            signer: Ed25519Signer(didKey: Fixture.key(4)))
        let ok = ProofExpectation(purpose: .authentication, challenge: "c-123", domain: "verifier.example")
        #expect(await verify(signed, ok) == nil)
        #expect(
            await verify(signed, ProofExpectation(purpose: .authentication, challenge: "other"))
                == .wrongChallenge(expected: "other", actual: "c-123"))
        #expect(
            await verify(signed, ProofExpectation(purpose: .authentication, domain: "evil.example"))
                == .wrongDomain(expected: "evil.example", actual: "verifier.example"))
    }
}
