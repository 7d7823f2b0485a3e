import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

@Suite("DID documents and verification methods")
struct DIDDocumentTests {
    @Test("unknown properties and unknown method types are kept")
    func keepsUnknown() throws {
        let json = Fixture.json(
            """
            {"id":"did:example:1","alsoKnownAs":["https://example.com"],"custom":{"x":1},
             "verificationMethod":[{"id":"#k","type":"EcdsaSecp256k1VerificationKey2019","controller":"did:example:1",
               "publicKeyHex":"02"}]}
            """)
        let document = try DIDDocument(json: json)
        #expect(document.json == json)
        let method = try #require(document.method("did:example:1#k"))
        #expect(method.key == nil)
        #expect(
            throws: IdentityError.unsupportedKeyType(
                method: "did:example:1#k", type: "EcdsaSecp256k1VerificationKey2019")
        ) {
            try method.ed25519Key()
        }
    }

    @Test("reads Ed25519VerificationKey2018 (publicKeyBase58), IOTA raw multibase, and JsonWebKey2020")
    func legacyMethodForms() throws {
        let key = Fixture.key(3).publicKey
        let base58 = Base58.encode(key.rawRepresentation)
        let x = Base64URL.encode(key.rawRepresentation)
        let json = Fixture.json(
            """
            {"id":"did:example:2","verificationMethod":[
              {"id":"#a","type":"Ed25519VerificationKey2018","controller":"did:example:2","publicKeyBase58":"\(base58)"},
              {"id":"#b","type":"Ed25519VerificationKey2018","controller":"did:example:2","publicKeyMultibase":"z\(base58)"},
              {"id":"#c","type":"JsonWebKey2020","controller":"did:example:2","publicKeyJwk":{"kty":"OKP","crv":"Ed25519","x":"\(x)"}},
              {"id":"#d","type":"Ed25519VerificationKey2020","controller":"did:example:2",
               "publicKeyMultibase":"\(VerificationKey.ed25519(key).multibase)"}],
             "assertionMethod":["#a","#c"],
             "authentication":[{"id":"#e","type":"Multikey","controller":"did:example:2",
               "publicKeyMultibase":"\(VerificationKey.ed25519(key).multibase)"}]}
            """)
        let document = try DIDDocument(json: json)
        for fragment in ["a", "b", "c", "d", "e"] {
            #expect(try document.method("#" + fragment)?.ed25519Key() == key, "method #\(fragment)")
        }
        #expect(document.isAuthorized(try DIDURL("did:example:2#c"), for: .assertionMethod))
        #expect(document.isAuthorized(try DIDURL("did:example:2#e"), for: .authentication))
        #expect(!document.isAuthorized(try DIDURL("did:example:2#b"), for: .assertionMethod))
    }

    @Test("a JWK holding a private key 'd' is refused")
    func privateJWKRefused() {
        let jwk = Fixture.json(
            #"{"kty":"OKP","crv":"Ed25519","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","d":"AA"}"#)
        #expect(throws: IdentityError.self) { try JWK.publicKey(jwk) }
        #expect(JWK.json(for: Fixture.key(1).publicKey)["crv"] == "Ed25519")
    }

    @Test("malformed documents name the field")
    func malformedFieldNames() {
        let cases: [(String, String)] = [
            (##"{"verificationMethod":[]}"##, "id"),
            (
                ##"{"id":"did:example:1","verificationMethod":[{"id":"#k","type":"Multikey"}]}"##,
                "verificationMethod[0].publicKeyMultibase"
            ),
            (##"{"id":"did:example:1","service":[{"id":"#s","type":"X"}]}"##, "service[0].serviceEndpoint"),
            (
                ##"{"id":"did:example:1","verificationMethod":[{"id":"#k","type":"Multikey","publicKeyMultibase":"uAAAA"}]}"##,
                "verificationMethod[0].publicKeyMultibase"
            ),
        ]
        for (text, field) in cases {
            do {
                _ = try DIDDocument(json: Fixture.json(text))
                Issue.record("accepted \(text)")
            } catch {
                guard case .malformed(let reported, _) = error else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                #expect(reported == field)
            }
        }
    }

    @Test("the static resolver reports unknown DIDs and DID methods clearly")
    func staticResolverMisses() async {
        let resolver = StaticDIDResolver()
        let missing = await Fixture.failure { () async throws(IdentityError) in
            try await resolver.resolve(try DID("did:web:example.com"))
        }
        #expect(missing == .didNotFound("did:web:example.com"))
        let keyOnly = await Fixture.failure { () async throws(IdentityError) in
            try await DIDKeyResolver().resolve(try DID("did:web:x"))
        }
        #expect(keyOnly == .unsupportedDIDMethod("web"))
        let unknownMethod = await Fixture.failure { () async throws(IdentityError) in
            try await resolver.resolveVerificationMethod(
                "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#nope")
        }
        #expect(
            unknownMethod == .unknownVerificationMethod("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#nope")
        )
    }
}
