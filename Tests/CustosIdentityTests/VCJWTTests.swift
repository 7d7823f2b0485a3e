import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

@Suite("VC-JOSE vc+jwt")
struct VCJWTTests {
    static let w3cKid =
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    static let w3cHeader =
        #"{"alg":"EdDSA","kid":"did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2","typ":"vc+jwt","cty":"vc"}"#
    static let w3cSignature = "3R-ZYG5LXM6JqEVjtlTnrgHseFHhH2bYtJCHBVZwoWzQyKzzgqUXk5zaJ4Tu8uv6I7LD-8hsRW9IcGEJincaAQ"

    /// Builds a compact JWS by hand, so that tests can produce headers and payloads `VCJWT.issue` refuses.
    static func compact(header: JSONValue, payload: JSONValue, key: Ed25519.PrivateKey) throws -> String {
        let input =
            Base64URL.encode(try JCS.canonicalBytes(header)) + "." + Base64URL.encode(try JCS.canonicalBytes(payload))
        return input + "." + Base64URL.encode(key.signature(for: Array(input.utf8)))
    }

    static func verify(_ jwt: String, resolver: any DIDResolver, now: Date = Fixture.now) async -> IdentityError? {
        await Fixture.failure { () async throws(IdentityError) in
            try await CredentialVerifier(resolver: resolver).verify(jwt: jwt, now: now)
        }
    }

    @Test("vector #13 (§5.5): the vc+jwt over the W3C key is reproduced byte for byte")
    func w3cVector() throws {
        let jwt = try VCJWT.issue(Fixture.w3cUnsigned, signer: Ed25519Signer(didKey: Fixture.w3cKey))
        let parts = jwt.split(separator: ".").map(String.init)
        #expect(parts.count == 3)
        #expect(String(decoding: try Base64URL.decode(parts[0]), as: UTF8.self) == Self.w3cHeader)
        #expect(try Base64URL.decode(parts[1]) == (try JCS.canonicalBytes(Fixture.w3cUnsigned)))
        #expect(parts[2] == Self.w3cSignature)
        let expected =
            Base64URL.encode(Array(Self.w3cHeader.utf8)) + "."
            + Base64URL.encode(try JCS.canonicalBytes(Fixture.w3cUnsigned)) + "." + Self.w3cSignature
        #expect(jwt == expected)

        // The issuer of the W3C example is an https URL, so the issuer binding cannot be checked; the JWS
        // itself verifies with the key its kid names.
        let jws = try CompactJWS(jwt)
        #expect(jws.header["kid"]?.stringValue == Self.w3cKid)
        #expect(jws.payload == Fixture.w3cUnsigned)
        let key = try DIDKey.key(of: try DID(String(Self.w3cKid.prefix { $0 != "#" }))).ed25519
        #expect(jws.isValidSignature(try #require(key)))
    }

    @Test("a vc+jwt issued by a did:custos identity verifies: header, signature, claims, validity")
    func roundTrip() async throws {
        let issuer = Fixture.identity(1)
        let draft = CredentialDraft(
            issuer: issuer.did, subject: ["id": "did:example:holder", "role": "auditor"], types: ["RoleCredential"],
            id: "urn:uuid:0b8e1d52-0000-4000-8000-000000000002", validFrom: Fixture.issued,
            validUntil: Fixture.issued + 30 * 86_400)
        let jwt = try VCJWT.issue(draft.json(), signer: issuer.signer)
        let verified = try await CredentialVerifier(resolver: Fixture.resolver(issuer)).verify(
            jwt: jwt, now: Fixture.now)
        #expect(verified.format == .vcJWT)
        #expect(verified.issuer == issuer.did)
        #expect(verified.id == "urn:uuid:0b8e1d52-0000-4000-8000-000000000002")
        #expect(verified.checks.map(\.name) == ["jose", "structure", "proof", "validity", "status"])
        #expect(
            await Self.verify(jwt, resolver: Fixture.resolver(issuer), now: Fixture.issued + 31 * 86_400)
                == .expired(validUntil: "2025-01-31T00:00:00Z"))
    }

    @Test("issuing refuses a credential that already has a proof, or a signer of another issuer")
    func issueChecks() throws {
        let issuer = Fixture.identity(1)
        let signed = Fixture.credential(by: issuer)
        #expect(throws: IdentityError.self) { try VCJWT.issue(signed, signer: issuer.signer) }
        let draft = CredentialDraft(issuer: issuer.did, subject: ["id": "did:example:x"])
        #expect(throws: IdentityError.self) { try VCJWT.issue(draft.json(), signer: Fixture.identity(2).signer) }
    }

    @Test("failure: a changed payload, header or signature does not verify")
    func tampered() async throws {
        let key = Fixture.key(4)
        let did = DIDKey.did(for: key.publicKey)
        let draft = CredentialDraft(issuer: did, subject: ["id": "did:example:x", "level": 3])
        let jwt = try VCJWT.issue(draft.json(), signer: Ed25519Signer(didKey: key))
        let kid = DIDKey.verificationMethodID(for: key.publicKey).description
        #expect(await Self.verify(jwt, resolver: DIDKeyResolver()) == nil)
        let parts = jwt.split(separator: ".").map(String.init)
        var payload = try JSONParser.parse(try Base64URL.decode(parts[1]))
        payload = JSONValue.object(payload.objectValue!.merging(["name": "forged"]) { $1 })
        let forgedPayload = parts[0] + "." + Base64URL.encode(try JCS.canonicalBytes(payload)) + "." + parts[2]
        #expect(await Self.verify(forgedPayload, resolver: DIDKeyResolver()) == .badSignature(method: kid))
        let otherSignature = parts[0] + "." + parts[1] + "." + Base64URL.encode(key.signature(for: [1, 2, 3]))
        #expect(await Self.verify(otherSignature, resolver: DIDKeyResolver()) == .badSignature(method: kid))
        guard case .malformed(let field, _)? = await Self.verify(parts[0] + "." + parts[1], resolver: DIDKeyResolver())
        else {
            Issue.record("a two-part token was accepted")
            return
        }
        #expect(field == "jwt")
    }

    @Test("failure: header and claim rules of VC-JOSE (alg, typ, kid, vc/vp claims, iss, exp, nbf)")
    func headerAndClaims() async throws {
        let key = Fixture.key(4)
        let did = DIDKey.did(for: key.publicKey)
        let kid = JSONValue.string(DIDKey.verificationMethodID(for: key.publicKey).description)
        let credential = CredentialDraft(issuer: did, subject: ["id": "did:example:x"]).json()
        func with(_ extra: [String: JSONValue]) -> JSONValue {
            .object(credential.objectValue!.merging(extra) { $1 })
        }
        let header: JSONValue = ["alg": "EdDSA", "kid": kid, "typ": "vc+jwt"]
        func headerWith(_ extra: [String: JSONValue]) -> JSONValue {
            .object(header.objectValue!.merging(extra) { $1 })
        }
        let cases: [(JSONValue, JSONValue, IdentityError)] = [
            (headerWith(["alg": "ES256"]), credential, .unsupportedCryptosuite("JOSE alg ES256")),
            (
                headerWith(["typ": "JWT"]), credential,
                .malformed(field: "jwt header.typ", reason: "must be 'vc+jwt', got 'JWT'")
            ),
            (
                headerWith(["crit": ["b64"]]), credential,
                .malformed(field: "jwt header.crit", reason: "names extensions this verifier does not understand")
            ),
            (
                .object(header.objectValue!.filter { $0.key != "kid" }), credential,
                .malformed(field: "jwt header.kid", reason: "is missing")
            ),
            (
                header, with(["vc": ["type": "VerifiableCredential"]]),
                .malformed(field: "jwt payload.vc", reason: "must not be present in a vc+jwt (VC 2.0)")
            ),
            (
                header, with(["iss": "did:example:other"]),
                .malformed(field: "jwt payload.iss", reason: "is 'did:example:other' but the issuer is \(did)")
            ),
            (
                header, with(["exp": .number(Fixture.issued.timeIntervalSince1970)]),
                .expired(validUntil: "2025-01-01T00:00:00Z")
            ),
            (
                header, with(["nbf": .number((Fixture.now + 86_400).timeIntervalSince1970)]),
                .notYetValid(validFrom: "2025-01-03T00:00:00Z")
            ),
            (
                headerWith(["kid": .string(did.description + "#nope")]), credential,
                .unknownVerificationMethod(did.description + "#nope")
            ),
        ]
        for (header, payload, expected) in cases {
            let jwt = try Self.compact(header: header, payload: payload, key: key)
            #expect(await Self.verify(jwt, resolver: DIDKeyResolver()) == expected)
        }
        let good = try Self.compact(header: header, payload: with(["iss": .string(did.description)]), key: key)
        #expect(await Self.verify(good, resolver: DIDKeyResolver()) == nil)
    }

    static let version1Refusal = IdentityError.malformed(
        field: "@context",
        reason: "is the VC 1.1 context; a vc+jwt must secure a VC 2.0 credential, whose @context starts with "
            + "'https://www.w3.org/ns/credentials/v2'")

    @Test("failure: a VC 1.1 credential as the payload is refused, even with legacy credentials accepted")
    func version1Payload() async throws {
        let key = Fixture.key(4)
        let did = DIDKey.did(for: key.publicKey)
        let kid = JSONValue.string(DIDKey.verificationMethodID(for: key.publicKey).description)
        let credential: JSONValue = [
            "@context": [.string(VerifiableCredential.contextV1), "https://www.w3.org/2018/credentials/examples/v1"],
            "id": "urn:uuid:7f1a2c9e-0000-4000-8000-00000000000a",
            "type": ["VerifiableCredential", "ExampleCredential"],
            "issuer": .string(did.description), "issuanceDate": "2025-01-01T00:00:00Z",
            "credentialSubject": ["id": "did:example:x", "level": 3],
        ]
        let singleContext = JSONValue.object(
            credential.objectValue!.merging(["@context": .string(VerifiableCredential.contextV1)]) { $1 })
        for header: JSONValue in [
            ["alg": "EdDSA", "kid": kid, "typ": "vc+jwt", "cty": "vc"], ["alg": "EdDSA", "kid": kid],
        ] {
            for payload in [credential, singleContext] {
                let jwt = try Self.compact(header: header, payload: payload, key: key)
                #expect(await Self.verify(jwt, resolver: DIDKeyResolver()) == Self.version1Refusal)
                let strict = CredentialVerifier(
                    resolver: DIDKeyResolver(), options: .init(acceptsLegacyCredentials: false))
                let error = await Fixture.failure { () async throws(IdentityError) in
                    try await strict.verify(jwt: jwt, now: Fixture.now)
                }
                #expect(error == Self.version1Refusal)
            }
        }
        // Issuing refuses it too, so that Custos never writes a token it would refuse to verify.
        #expect(throws: Self.version1Refusal) { try VCJWT.issue(credential, signer: Ed25519Signer(didKey: key)) }

        // The offline report records the refusal as the structure check, after the header passed.
        let jwt = try Self.compact(
            header: ["alg": "EdDSA", "kid": kid, "typ": "vc+jwt"], payload: credential, key: key)
        let report = await OfflineVerifier.verify(jwt, now: Fixture.now)
        #expect(report.checks.suffix(2).map(\.name) == ["jose", "structure"])
        #expect(report.checks.suffix(2).map(\.outcome) == [.passed, .failed])
        #expect(report.error == Self.version1Refusal)
    }

    @Test("a vc+jwt without typ verifies (typ is a SHOULD), and its signature is still checked")
    func withoutTyp() async throws {
        let key = Fixture.key(4)
        let did = DIDKey.did(for: key.publicKey)
        let kid = DIDKey.verificationMethodID(for: key.publicKey).description
        let credential = CredentialDraft(issuer: did, subject: ["id": "did:example:x", "level": 3]).json()
        for header: JSONValue in [
            ["alg": "EdDSA", "kid": .string(kid)], ["alg": "EdDSA", "kid": .string(kid), "cty": "vc"],
        ] {
            let jwt = try Self.compact(header: header, payload: credential, key: key)
            let verified = try await CredentialVerifier(resolver: DIDKeyResolver()).verify(jwt: jwt, now: Fixture.now)
            #expect(verified.format == .vcJWT)
            #expect(verified.issuer == did)
            #expect(verified.checks.map(\.name) == ["jose", "structure", "proof", "validity", "status"])
            #expect(verified.checks.first?.detail == "compact JWS, alg EdDSA, no typ, kid \(kid)")

            let parts = jwt.split(separator: ".").map(String.init)
            let forged = JSONValue.object(
                credential.objectValue!.merging(["credentialSubject": ["id": "did:example:x", "level": 9]]) { $1 })
            let forgedPayload = parts[0] + "." + Base64URL.encode(try JCS.canonicalBytes(forged)) + "." + parts[2]
            #expect(await Self.verify(forgedPayload, resolver: DIDKeyResolver()) == .badSignature(method: kid))
            let otherKey = try Self.compact(header: header, payload: credential, key: Fixture.key(5))
            #expect(await Self.verify(otherKey, resolver: DIDKeyResolver()) == .badSignature(method: kid))
            let unsigned = parts[0] + "." + parts[1] + "."
            #expect(await Self.verify(unsigned, resolver: DIDKeyResolver()) == .badSignature(method: kid))
        }
    }

    @Test("failure: a typ other than vc+jwt is still refused, as is a cty other than vc")
    func otherTyp() async throws {
        let key = Fixture.key(4)
        let did = DIDKey.did(for: key.publicKey)
        let kid = JSONValue.string(DIDKey.verificationMethodID(for: key.publicKey).description)
        let credential = CredentialDraft(issuer: did, subject: ["id": "did:example:x"]).json()
        let cases: [(JSONValue, IdentityError)] = [
            (
                ["alg": "EdDSA", "kid": kid, "typ": "vc+ld+json+jwt"],
                .malformed(field: "jwt header.typ", reason: "must be 'vc+jwt', got 'vc+ld+json+jwt'")
            ),
            (
                ["alg": "EdDSA", "kid": kid, "typ": "vp+jwt"],
                .malformed(field: "jwt header.typ", reason: "must be 'vc+jwt', got 'vp+jwt'")
            ),
            (
                ["alg": "EdDSA", "kid": kid, "typ": ""],
                .malformed(field: "jwt header.typ", reason: "must be 'vc+jwt', got ''")
            ),
            (
                ["alg": "EdDSA", "kid": kid, "typ": nil],
                .malformed(field: "jwt header.typ", reason: "must be 'vc+jwt', got a value that is not a string")
            ),
            (
                ["alg": "EdDSA", "kid": kid, "typ": ["vc+jwt"]],
                .malformed(field: "jwt header.typ", reason: "must be 'vc+jwt', got a value that is not a string")
            ),
            (
                ["alg": "EdDSA", "kid": kid, "cty": "vc+ld+json"],
                .malformed(field: "jwt header.cty", reason: "must be 'vc', got 'vc+ld+json'")
            ),
        ]
        for (header, expected) in cases {
            let jwt = try Self.compact(header: header, payload: credential, key: key)
            #expect(await Self.verify(jwt, resolver: DIDKeyResolver()) == expected)
        }
    }
}
