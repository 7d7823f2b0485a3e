import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

/// Shared keys, dates and builders for the identity tests.
enum Fixture {
    /// 2025-01-01T00:00:00Z.
    static let issued = Date(timeIntervalSince1970: 1_735_689_600)
    /// A day after ``issued``.
    static let now = issued.addingTimeInterval(86_400)

    /// A deterministic key from a one-byte pattern.
    static func key(_ byte: UInt8) -> Ed25519.PrivateKey {
        try! Ed25519.PrivateKey(seed: [UInt8](repeating: byte, count: 32))
    }

    /// Parses JSON text.
    static func json(_ text: String) -> JSONValue {
        try! JSONParser.parse(text)
    }

    /// The W3C vc-di-eddsa test key.
    static let w3cKey = try! Ed25519.PrivateKey(
        seed: try! Hex.decode("c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6"))

    /// The W3C vc-di-eddsa unsigned credential.
    static let w3cUnsigned = json(
        """
        {"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],
         "id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","type":["VerifiableCredential","AlumniCredential"],
         "name":"Alumni Credential","description":"A minimum viable example of an Alumni Credential.",
         "issuer":"https://vc.example/issuers/5678","validFrom":"2023-01-01T00:00:00Z",
         "credentialSubject":{"id":"did:example:abcdefgh","alumniOf":"The School of Examples"}}
        """)

    /// A did:custos identity: its key, version-1 document and signer.
    struct Identity: Sendable {
        let key: Ed25519.PrivateKey
        let did: DID
        let version1: JSONValue
        let chain: DIDDocumentChain
        let signer: Ed25519Signer
    }

    /// A did:custos identity on network `test`, created at ``issued``.
    static func identity(_ byte: UInt8, services: [DIDService] = []) -> Identity {
        let key = key(byte)
        let document = try! CustosDocumentVersion.initialDocument(
            network: "test", signingKey: key.publicKey, services: services)
        let signer = Ed25519Signer(privateKey: key, verificationMethod: document.id.description + "#sign-0")
        let version1 = try! CustosDocumentVersion.first(document, signer: signer, created: issued)
        return Identity(
            key: key, did: document.id, version1: version1, chain: try! DIDDocumentChain(verifying: [version1]),
            signer: signer)
    }

    /// A resolver knowing `identities` (and did:key).
    static func resolver(_ identities: Identity...) -> StaticDIDResolver {
        StaticDIDResolver(chains: identities.map(\.chain))
    }

    /// A credential issued by `issuer` about `subject`.
    static func credential(
        by issuer: Identity,
        about subject: String = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        types: [String] = ["ExampleCredential"],
        validUntil: Date? = nil,
        status: [JSONValue] = [],
        id: String = "urn:uuid:7f1a2c9e-0000-4000-8000-000000000001"
    ) -> JSONValue {
        let draft = CredentialDraft(
            issuer: issuer.did,
            subject: [
                "id": .string(subject), "name": "Ada Lovelace", "age": 36, "member": true, "roles": ["admin", "audit"],
            ],
            types: types,
            id: id,
            validUntil: validUntil,
            status: status)
        return try! VerifiableCredential.issue(draft, signer: issuer.signer, created: issued)
    }

    /// Runs `body` and returns the IdentityError it throws, or nil.
    static func failure<T>(_ body: () async throws(IdentityError) -> T) async -> IdentityError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error
        }
    }
}
