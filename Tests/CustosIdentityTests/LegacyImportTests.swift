import CustosCore
import CustosCrypto
import CustosIdentity
import CustosIdentityTesting
import Foundation
import Testing

@Suite("Legacy import: JcsEd25519Signature2020, IS did:iota documents and credentials")
struct LegacyImportTests {
    /// The DIF key, Go convention (seed ‖ public key) in base58.
    static let difKey = try! Ed25519.PrivateKey(
        seed: try! Base58.decode(
            "z3nisqMdwW7nZdWomCfUyRaezHzKEBfwRbvaMcJAqaMSbmjxuRfS5qz4ff3QAf1A5sZT4ZMcxYoGjN4K1VsDV7b"
        ).prefix(32))
    static let userKey = IntegrationServicesFixtures.userKey
    static let userDID = IntegrationServicesFixtures.userDID

    @Test(
        "DIF vectors #3: signatures reproduce and verify, with no pre-hash",
        arguments: [
            (
                #"{"foo":"bar","proof":{"type":"JcsEd25519Signature2020"}}"#,
                "4VCNeCSC4Daru6g7oij3QxUL2CS9FZkCYWRMUKyiLuPPK7GWFrM4YtYYQbmgyUXgGuxyKY5Wn1Mh4mmaRkbah4i4"
            ),
            (
                #"{"id":"did:example:abcd","publicKey":[{"id":"did:example:abcd#key-1","type":"JcsEd25519Signature2020","controller":"foo-issuer","publicKeyBase58":"not-a-real-pub-key"}],"authentication":null,"service":[{"id":"schema-id","type":"schema","serviceEndpoint":"service-endpoint"}],"proof":{"type":"JcsEd25519Signature2020"}}"#,
                "4qtzqwFxFYUifwfpPhxR6AABn94KnzWF768jcmjHHH8JYtUb4kAXxG6PttmJAbn3b6q1dfraXFdnUc1z2EGHqWdt"
            ),
        ])
    func difVectors(_ input: String, _ expected: String) throws {
        #expect(
            Base58.encode(Self.difKey.publicKey.rawRepresentation) == "4CcKDtU1JNGi8U4D8Rv9CHzfmF7xzaxEAPFA54eQjRHF")
        let document = Fixture.json(input)
        let signature = Self.difKey.signature(for: try JcsEd25519Signature2020.signingInput(document))
        #expect(Base58.encode(signature) == expected)
        #expect(Base58.encode(Self.difKey.signature(for: SHA256.hash(try JCS.canonicalBytes(document)))) != expected)

        guard case .object(var members) = document, case .object(var proof)? = members["proof"] else { return }
        proof["signatureValue"] = .string(expected)
        members["proof"] = .object(proof)
        try JcsEd25519Signature2020.verify(.object(members), publicKey: Self.difKey.publicKey)
        members["foo"] = "baz"
        #expect(throws: IdentityError.self) {
            try JcsEd25519Signature2020.verify(.object(members), publicKey: Self.difKey.publicKey)
        }
    }

    static let userMock = IntegrationServicesFixtures.userMock
    static let serverMock = IntegrationServicesFixtures.serverMock

    @Test("IS root document vector #4: signing input, reproduced signature, verification of both mocks")
    func isRootDocuments() throws {
        let input = try JcsEd25519Signature2020.signingInput(removingMember("integrationMessageId", Self.userMock))
        #expect(
            String(decoding: input, as: UTF8.self)
                == #"{"doc":{"capabilityInvocation":[{"controller":"did:iota:EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi","id":"did:iota:EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi#sign-0","publicKeyMultibase":"zGPpRru9YxgY2amWqzAkWbLwuL25x47o73oBhp4f5avij","type":"Ed25519VerificationKey2018"}],"id":"did:iota:EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi"},"meta":{"created":"2022-07-21T15:26:04Z","updated":"2022-07-21T15:26:04Z"},"proof":{"type":"JcsEd25519Signature2020","verificationMethod":"did:iota:EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi#sign-0"}}"#
        )
        #expect(
            Base58.encode(Self.userKey.signature(for: input))
                == "UnFqyMkHVLP3ToyE8bteiEukjmHbQbtWzstYByNgJrCZxTosHdXsx4k4VzRNE6KZffPJFpkNv6dyXFfmv7tc2n5")
        #expect(try IotaLegacyDocument.verify(Self.userMock).id.description == Self.userDID)
        #expect(
            try IotaLegacyDocument.verify(Self.serverMock).id.description
                == "did:iota:GEpCtmCAqr9mdR1zC5iL6bg1jAq8NmR8QmmdH8T7eFtm")
    }

    @Test(
        "failure: the IS document with a relative verificationMethod does not verify (it was signed with the full URL)")
    func relativeMethodFails() {
        guard case .object(var members) = Self.userMock, case .object(var proof)? = members["proof"] else { return }
        proof["verificationMethod"] = "#sign-0"
        members["proof"] = .object(proof)
        #expect(throws: IdentityError.badSignature(method: "#sign-0")) {
            try IotaLegacyDocument.verify(.object(members))
        }
    }

    @Test("failure: a did:iota document whose key does not hash to its tag")
    func wrongTag() throws {
        let other = Fixture.key(9)
        let text = canonicalText(Self.userMock["doc"]!).replacingOccurrences(
            of: "zGPpRru9YxgY2amWqzAkWbLwuL25x47o73oBhp4f5avij",
            with: "z" + Base58.encode(other.publicKey.rawRepresentation))
        let wire = try IntegrationServicesFixtures.legacySign(
            ["doc": Fixture.json(text), "meta": Self.userMock["meta"]!], key: other, method: Self.userDID + "#sign-0")
        guard case .invalidDID? = Self.catching({ () throws(IdentityError) in try IotaLegacyDocument.verify(wire) })
        else {
            Issue.record("a document not bound to its tag was accepted")
            return
        }
    }

    @Test("failure: non-root did:iota documents cannot be verified offline")
    func nonRoot() {
        guard case .object(var members) = Self.userMock else { return }
        members["meta"] = [
            "created": "2022-07-21T15:26:04Z", "updated": "2022-07-22T15:26:04Z", "previousMessageId": "abc",
        ]
        guard
            case .malformed(let field, _)? = Self.catching({ () throws(IdentityError) in
                try IotaLegacyDocument.verify(.object(members))
            })
        else {
            Issue.record("non-root accepted")
            return
        }
        #expect(field == "meta.previousMessageId")
    }

    /// A did:iota root document of the user mock key that carries a RevocationBitmap2022 of {5, 398, 67000}.
    static func issuerDocument() throws -> JSONValue {
        let doc = Fixture.json(
            """
            {"id":"\(userDID)",
             "capabilityInvocation":[{"id":"\(userDID)#sign-0","controller":"\(userDID)","type":"Ed25519VerificationKey2018",
               "publicKeyMultibase":"zGPpRru9YxgY2amWqzAkWbLwuL25x47o73oBhp4f5avij"}],
             "service":[{"id":"\(userDID)#signature-bitmap-0","type":"RevocationBitmap2022",
               "serviceEndpoint":"\(RevocationBitmapTests.vector2)"}]}
            """)
        return try IntegrationServicesFixtures.legacySign(
            ["doc": doc, "meta": ["created": "2022-07-21T15:26:04Z", "updated": "2022-07-21T15:26:04Z"]], key: userKey,
            method: userDID + "#sign-0")
    }

    /// An IS-style VC 1.1 credential with a RevocationBitmap2022 status at `index`.
    static func legacyCredential(index: Int, expiration: String? = nil) throws -> JSONValue {
        var credential = Fixture.json(
            """
            {"@context":"https://www.w3.org/2018/credentials/v1","id":"did:iota:6hyaHgrvEeXD8z6qqd1QyYNQ1QD54fXfLs6uGew3DeNu",
             "type":["VerifiableCredential","VerifiedIdentityCredential"],
             "credentialSubject":{"id":"did:iota:6hyaHgrvEeXD8z6qqd1QyYNQ1QD54fXfLs6uGew3DeNu","type":"Device","initiator":""},
             "issuer":"\(userDID)","issuanceDate":"2022-07-22T08:15:32Z",
             "credentialStatus":{"id":"\(userDID)#signature-bitmap-0","type":"RevocationBitmap2022","revocationBitmapIndex":"\(index)"}}
            """)
        if let expiration, case .object(var members) = credential {
            members["expirationDate"] = .string(expiration)
            credential = .object(members)
        }
        return try IntegrationServicesFixtures.legacySign(credential, key: userKey, method: userDID + "#sign-0")
    }

    @Test(
        "an IS credential verifies against the imported did:iota document; RevocationBitmap2022 index 6 is not revoked")
    func legacyCredentialValid() async throws {
        let resolver = try StaticDIDResolver.loading([try Self.issuerDocument()])
        let verified = try await CredentialVerifier(resolver: resolver).verify(
            try Self.legacyCredential(index: 6), now: Fixture.now)
        #expect(verified.format == .legacyJcsEd25519Signature2020)
        #expect(verified.issuer.description == Self.userDID)
        #expect(verified.checks.contains { $0.name == "status" && $0.outcome == .passed })
    }

    @Test("failure: an IS credential whose RevocationBitmap2022 bit (5) is set is revoked")
    func legacyCredentialRevoked() async throws {
        let resolver = try StaticDIDResolver.loading([try Self.issuerDocument()])
        let credential = try Self.legacyCredential(index: 5)
        let error = await Fixture.failure { () async throws(IdentityError) in
            try await CredentialVerifier(resolver: resolver).verify(credential, now: Fixture.now)
        }
        #expect(error == .revoked(statusList: Self.userDID + "#signature-bitmap-0", index: 5))
    }

    @Test("failure: an IS credential past its expirationDate")
    func legacyCredentialExpired() async throws {
        let resolver = try StaticDIDResolver.loading([try Self.issuerDocument()])
        let credential = try Self.legacyCredential(index: 6, expiration: "2023-01-01T00:00:00Z")
        let error = await Fixture.failure { () async throws(IdentityError) in
            try await CredentialVerifier(resolver: resolver).verify(credential, now: Fixture.now)
        }
        #expect(error == .expired(validUntil: "2023-01-01T00:00:00Z"))
    }

    @Test("failure: legacy credentials are refused when import is switched off")
    func legacyOff() async throws {
        let resolver = try StaticDIDResolver.loading([try Self.issuerDocument()])
        let verifier = CredentialVerifier(resolver: resolver, options: .init(acceptsLegacyCredentials: false))
        let credential = try Self.legacyCredential(index: 6)
        let error = await Fixture.failure { () async throws(IdentityError) in
            try await verifier.verify(credential, now: Fixture.now)
        }
        #expect(
            error == .malformed(field: "@context", reason: "must start with 'https://www.w3.org/ns/credentials/v2'"))
    }

    static func catching(_ body: () throws(IdentityError) -> some Any) -> IdentityError? {
        do {
            _ = try body()
            return nil
        } catch {
            return error
        }
    }
}

private func removingMember(_ key: String, _ value: JSONValue) -> JSONValue {
    guard case .object(var members) = value else { return value }
    members.removeValue(forKey: key)
    return .object(members)
}

private func canonicalText(_ value: JSONValue) -> String {
    try! JCS.canonicalString(value)
}
