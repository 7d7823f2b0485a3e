import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

/// A signed credential or presentation changed anywhere must fail: every leaf is changed in turn, and
/// every object member removed in turn.
@Suite("Tampering with any field of a signed document fails verification")
struct TamperTests {
    static let statusURL = "https://status.example/lists/7"

    /// A credential with nested subject data, an array of subjects' roles, a validity window and a status.
    static func setup() throws -> (credential: JSONValue, verifier: CredentialVerifier, holderKey: Ed25519.PrivateKey) {
        let issuer = Fixture.identity(1)
        let holderKey = Fixture.key(70)
        let holder = DIDKey.did(for: holderKey.publicKey)
        let listCredential = try VerifiableCredential.issue(
            try BitstringStatusListCredential.draft(
                id: statusURL, issuer: issuer.did, purpose: .revocation, list: try BitstringStatusList()),
            signer: issuer.signer, created: Fixture.issued)
        let draft = CredentialDraft(
            issuer: issuer.did,
            subject: [
                "id": .string(holder.description), "name": "Ada Lovelace", "age": 36, "member": true,
                "address": ["city": "London", "lines": ["12 St James's Square", "Westminster"]], "note": nil,
            ],
            types: ["ExampleCredential"], id: "urn:uuid:tamper-1", validUntil: Fixture.issued + 365 * 86_400,
            status: [BitstringStatusListEntry(statusListCredential: statusURL, index: 1234, purpose: .revocation).json],
            additionalProperties: ["name": "Membership", "description": "Member since 2025"])
        let credential = try VerifiableCredential.issue(draft, signer: issuer.signer, created: Fixture.issued)
        let verifier = CredentialVerifier(
            resolver: Fixture.resolver(issuer), statusFetcher: StaticStatusListFetcher([listCredential]))
        return (credential, verifier, holderKey)
    }

    @Test("every leaf of a signed credential")
    func credential() async throws {
        let (credential, verifier, _) = try Self.setup()
        _ = try await verifier.verify(credential, now: Fixture.now)
        let mutations = Tamper.mutations(of: credential)
        #expect(Tamper.leafPaths(of: credential).count == 29)
        #expect(Tamper.leafPaths(of: credential).contains("credentialSubject.address.lines[1]"))
        #expect(Tamper.leafPaths(of: credential).contains("proof.proofValue"))
        for mutation in mutations {
            let error = await Fixture.failure { () async throws(IdentityError) in
                try await verifier.verify(mutation.value, now: Fixture.now)
            }
            #expect(error != nil, "changing \(mutation.path) went unnoticed")
        }
    }

    @Test("every leaf of a signed presentation, including the credential inside it")
    func presentation() async throws {
        let (credential, credentialVerifier, holderKey) = try Self.setup()
        let holder = DIDKey.did(for: holderKey.publicKey)
        let presentation = try VerifiablePresentation.sign(
            PresentationDraft(holder: holder, credentials: [credential], id: "urn:uuid:vp-1"),
            signer: Ed25519Signer(didKey: holderKey), challenge: "c-1", domain: "example.org", created: Fixture.now)
        let verifier = PresentationVerifier(credentialVerifier: credentialVerifier)
        func verify(_ value: JSONValue) async -> IdentityError? {
            await Fixture.failure { () async throws(IdentityError) in
                try await verifier.verify(
                    value, challenge: "c-1", domain: "example.org", requiresHolderAsSubject: true, now: Fixture.now)
            }
        }
        #expect(await verify(presentation) == nil)
        let leaves = Tamper.leafPaths(of: presentation)
        #expect(leaves.contains("verifiableCredential[0].credentialSubject.address.city"))
        #expect(leaves.contains("proof.challenge"))
        for mutation in Tamper.mutations(of: presentation) {
            #expect(await verify(mutation.value) != nil, "changing \(mutation.path) went unnoticed")
        }
    }

    @Test("a credential changed inside a presentation that the holder re-signs still fails")
    func resignedPresentation() async throws {
        let (credential, credentialVerifier, holderKey) = try Self.setup()
        let holder = DIDKey.did(for: holderKey.publicKey)
        let verifier = PresentationVerifier(credentialVerifier: credentialVerifier)
        for mutation in Tamper.mutations(of: credential) where mutation.path.hasPrefix("credentialSubject") {
            let presentation = try VerifiablePresentation.sign(
                PresentationDraft(holder: holder, credentials: [mutation.value]),
                signer: Ed25519Signer(didKey: holderKey), challenge: nil, domain: nil, created: Fixture.now)
            let error = await Fixture.failure { () async throws(IdentityError) in
                try await verifier.verify(presentation, challenge: nil, domain: nil, now: Fixture.now)
            }
            #expect(error != nil, "changing \(mutation.path) went unnoticed")
        }
    }
}
