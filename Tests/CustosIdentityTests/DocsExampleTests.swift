import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

/// The examples of docs/identity.md, rebuilt from the same keys and dates: the pinned values below are the
/// ones printed in the document, so a change of format shows up here first.
@Suite("docs/identity.md examples")
struct DocsExampleTests {
    static let created = Timestamp.parse("2025-03-01T09:00:00Z")!
    static let now = Timestamp.parse("2025-03-02T09:00:00Z")!
    static let issuerKey = try! Ed25519.PrivateKey(seed: [UInt8](repeating: 1, count: 32))
    static let rotatedKey = try! Ed25519.PrivateKey(seed: [UInt8](repeating: 3, count: 32))
    static let holderKey = try! Ed25519.PrivateKey(seed: [UInt8](repeating: 2, count: 32))
    static let listURL = "https://acme.example/status/1"

    struct Examples {
        let did: CustosDID
        let version1: JSONValue
        let version2: JSONValue
        let credential: JSONValue
        let statusList: JSONValue
        let presentation: JSONValue
        let jwt: String
    }

    static func build() throws -> Examples {
        let did = try CustosDID(network: "acme", initialKey: issuerKey.publicKey)
        let document = try CustosDocumentVersion.initialDocument(network: "acme", signingKey: issuerKey.publicKey)
        let signer = Ed25519Signer(privateKey: issuerKey, verificationMethod: did.description + "#sign-0")
        let version1 = try CustosDocumentVersion.first(document, signer: signer, created: created)
        let sign1 = VerificationMethod(
            id: DIDURL(did: did.did, fragment: "sign-1"), controller: did.did, key: .ed25519(rotatedKey.publicKey))
        let rotated = DIDDocument(
            id: did.did,
            methods: [
                (sign1, [.capabilityInvocation, .authentication, .assertionMethod]),
                (document.method("#kex-0")!, [.keyAgreement]),
            ])
        let version2 = try CustosDocumentVersion.next(
            after: version1, document: rotated, signer: signer, updated: created + 30 * 86_400)
        let holder = DIDKey.did(for: holderKey.publicKey)
        let entry = BitstringStatusListEntry(statusListCredential: listURL, index: 94_567, purpose: .revocation)
        var draft = CredentialDraft(
            issuer: did.did, subject: ["id": .string(holder.description), "name": "Ada Lovelace", "role": "auditor"],
            types: ["EmployeeCredential"], id: "urn:uuid:2f4c8c1e-5a61-4d3b-9a1e-7c0d2b8e4f10",
            validUntil: Timestamp.parse("2026-03-01T09:00:00Z")!, status: [entry.json])
        let credential = try VerifiableCredential.issue(draft, signer: signer, created: created)
        let statusList = try VerifiableCredential.issue(
            try BitstringStatusListCredential.draft(
                id: listURL, issuer: did.did, purpose: .revocation, list: try BitstringStatusList()),
            signer: signer, created: created)
        let presentation = try VerifiablePresentation.sign(
            PresentationDraft(
                holder: holder, credentials: [credential], id: "urn:uuid:5d1c7a3e-0b9f-4e2a-8c6d-3f1e0a9b7c55"),
            signer: Ed25519Signer(didKey: holderKey), challenge: "8f3c1a9e2b7d", domain: "verifier.example.org",
            created: now)
        draft.validFrom = created
        draft.status = []
        let jwt = try VCJWT.issue(draft.json(), signer: signer)
        return Examples(
            did: did, version1: version1, version2: version2, credential: credential, statusList: statusList,
            presentation: presentation, jwt: jwt)
    }

    @Test("the documented DID, version hash, proof values and vc+jwt signature are what the code produces")
    func pinnedValues() throws {
        let examples = try Self.build()
        #expect(
            Hex.encode(BLAKE2b.hash256(Self.issuerKey.publicKey.rawRepresentation))
                == "c5e21ab1c9f6022d81c3b25e3436cb7f1df77f9652ae3e1310c28e621dd87b4c")
        #expect(examples.did.description == "did:custos:acme:EKTHV8xerxASMyb5Bg2juXhAf1wctvSDftHSC6oWcJEo")
        #expect(
            try CustosDocumentVersion.hash(of: examples.version1) == "z9pCfTXfyDhZqc7zddTKfUJC5Dp4Ms7vNzfe6SWk9wjv8")
        let proofValues = [
            examples.version1, examples.version2, examples.credential, examples.statusList, examples.presentation,
        ]
        .map { $0["proof"]?["proofValue"]?.stringValue }
        #expect(
            proofValues == [
                "zxroUrtNVrRKguegyGPrTtYkotmTCXW9VVJqx5BuhwQmJmc3ANLS5CqEWEggpVhSK5qDKq6neK3EiDy2wBBjPaes",
                "z3DjGRdxvxuzsemZjV6fGkFXH8C5A529LLR8tzdMq4k5nJeAkHGe6D6ANcke63FDm7DXG14C9dNRwmK3hzKSNmD3S",
                "zYAqd5JEgkHbb8B8JEVcQNrJEFG8qK5EKtZjsvhtwQGtmH4SVrSWQhBksCP1YkbUH1y9ttSV2wVe9FvVeHRyJ1Qn",
                "z2RaZbDCmAgLyWmqzKuCnowExD4GfRvVEYyxAFU7HVT98NuvjCh8aXEsSWetQbEbmiyB2Bz1paqgSJvsPPghGCAV6",
                "z3UHNVEj866gqxJf4J6crXKFedDz5u8HeZAFXWrqmhm95e4nnubqJRcdkCKoxVVamuDhRqN2hDMWZpkDHoE3HsUNf",
            ])
        #expect(
            examples.jwt.hasSuffix(
                ".OJV25PiKxGTaCLHpmJylckWaB_fVHYnkLOpECnVUMHByxirSMrxzmSNLoE-cIdZeKvX5ivwKY-HBwAdWQ7G1Dw"))
    }

    @Test("the documented examples verify offline as the document says")
    func reports() async throws {
        let examples = try Self.build()
        let options = OfflineVerifier.Options(
            challenge: "8f3c1a9e2b7d", domain: "verifier.example.org", requiresHolderAsSubject: true)
        let presentation = await OfflineVerifier.verify(
            examples.presentation, documents: [examples.version1, examples.statusList], now: Self.now, options: options)
        #expect(presentation.isValid, "\(presentation)")
        #expect(await OfflineVerifier.verify(examples.jwt, documents: [examples.version1], now: Self.now).isValid)
        let chain = await OfflineVerifier.verify(.array([examples.version1, examples.version2]), now: Self.now)
        #expect(chain.isValid)
        let rotated = await OfflineVerifier.verify(
            examples.credential, documents: [examples.version1, examples.version2, examples.statusList],
            now: Self.now + 40 * 86_400)
        #expect(rotated.error == .unknownVerificationMethod(examples.did.description + "#sign-0"))
    }
}
