import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

@Suite("DIDs, did:key and did:custos")
struct DIDTests {
    /// w3c-ccg did-method-key test-vectors/ed25519-x25519.json (protocols.md §5.6).
    static let didKeyVectors:
        [(seedLast: UInt8, did: String, publicKey: String, x25519ID: String, x25519: String, x25519Secret: String)] =
            [
                (
                    0, "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
                    "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS",
                    "z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW", "7By6kV2t2d188odEM4ExAve1UithKT6dLva4dwsDT3ak",
                    "6QN8DfuN9hjgHgPvLXqgzqYE3jRRGRrmJQZkd5tL8paR"
                ),
                (
                    1, "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
                    "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt",
                    "z6LSrHyXiPBhUbvPUtyUCdf32sniiMGPTAesgHrtEa4FePtr", "FcoNC5NqP9CePWbhfz95iHaEsCjGkZUioK9Ck7Qiw286",
                    "HBTcN2MrXNRj9xF9oi8QqYyuEPv3JLLjQKuEgW9oxVKP"
                ),
                (
                    2, "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
                    "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH",
                    "z6LSkkqoZRC34AEpbkhZCqLDcHQVAxuLpQ7kC8XCXMVUfvjE", "A5fe37PAxhX5WNKngBpGHhC1KpNE7nwbK9oX2tqwxYxU",
                    "ACa4PPJ1LnPNq1iwS33V3Akh7WtnC71WkKFZ9ccM6sX2"
                ),
                (
                    3, "did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ",
                    "HPYVwAQmskwT1qEEeRzhoomyfyupJGASQQtCXSNG8XS2",
                    "z6LSiUo6AEDat8Ze4nQzDo67SGuHLLwsUGkxndHGUjsywHow", "7ocvdvQinfqtyQ3Dh9aA7ggoVCQkmfaoueZazHETDv3B",
                    "FZrzd1osCnbK6y6MJzMBW1RcVfL524sNKhSbqRwMuwHT"
                ),
            ]

    @Test("did:key vectors: DID, public key, derived X25519 id, key and secret", arguments: 0..<4)
    func didKeyVector(_ index: Int) async throws {
        let vector = Self.didKeyVectors[index]
        var seed = [UInt8](repeating: 0, count: 32)
        seed[31] = vector.seedLast
        let key = try Ed25519.PrivateKey(seed: seed)
        #expect(Base58.encode(key.publicKey.rawRepresentation) == vector.publicKey)
        let did = DIDKey.did(for: key.publicKey)
        #expect(did.description == vector.did)
        #expect(Base58.encode(key.x25519().rawRepresentation) == vector.x25519Secret)

        let document = try await DIDKeyResolver().resolve(try DID(vector.did))
        let signing = try #require(document.method(vector.did + "#" + did.methodSpecificID))
        #expect(signing.type == "Multikey")
        #expect(try signing.ed25519Key() == key.publicKey)
        for relationship: VerificationRelationship in [
            .authentication, .assertionMethod, .capabilityInvocation, .capabilityDelegation,
        ] {
            #expect(document.isAuthorized(signing.id, for: relationship))
        }
        let agreement = try #require(document.methods(for: .keyAgreement).first)
        #expect(agreement.id.description == vector.did + "#" + vector.x25519ID)
        guard case .x25519(let exchange) = agreement.key else {
            Issue.record("keyAgreement is not X25519")
            return
        }
        #expect(Base58.encode(exchange.rawRepresentation) == vector.x25519)
        #expect(agreement.json["publicKeyMultibase"]?.stringValue == vector.x25519ID)
        #expect(!document.isAuthorized(agreement.id, for: .assertionMethod))
    }

    @Test("the W3C Data Integrity key re-derives z6MkrJVn…bTQ2 from its seed")
    func w3cKey() {
        #expect(
            DIDKey.did(for: Fixture.w3cKey.publicKey).description
                == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
        #expect(
            Hex.encode(Fixture.w3cKey.publicKey.rawRepresentation)
                == "b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f")
        let privateMultibase = Multibase.encode(Multicodec.prefix(.ed25519Priv, to: Fixture.w3cKey.seed))
        #expect(privateMultibase == "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
    }

    @Test("an X25519 did:key resolves to a keyAgreement-only document")
    func x25519DIDKey() throws {
        let did = try DID("did:key:z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW")
        let document = try DIDKey.document(for: did)
        #expect(document.methods(for: .keyAgreement).count == 1)
        #expect(document.methods(for: .assertionMethod).isEmpty)
    }

    @Test("did:key with a foreign multicodec is rejected")
    func didKeyForeignCodec() {
        let secp = Multibase.encode(Multicodec.prefix(Multicodec(rawValue: 0xE7), to: [UInt8](repeating: 2, count: 33)))
        #expect(throws: IdentityError.self) { try DIDKey.document(for: try DID("did:key:" + secp)) }
    }

    @Test("DID syntax: valid and invalid forms")
    func didSyntax() throws {
        #expect(try DID("did:example:123456789abcdefghi").method == "example")
        #expect(try DID("did:custos:net:a.b-c_d%20e").methodSpecificID == "net:a.b-c_d%20e")
        for bad in [
            "", "did:", "did::x", "did:Example:x", "did:ex:", "did:ex:a:", "dod:ex:x", "did:ex:a b", "did:ex:%zz",
        ] {
            #expect(throws: IdentityError.self, "\(bad)") { try DID(bad) }
        }
    }

    @Test("DID URLs: absolute, relative fragment, query and path")
    func didURLs() throws {
        let url = try DIDURL("did:example:abc/path?service=x#key-1")
        #expect(url.did.description == "did:example:abc")
        #expect(url.path == "/path")
        #expect(url.query == "service=x")
        #expect(url.fragment == "key-1")
        #expect(url.description == "did:example:abc/path?service=x#key-1")
        let relative = try DIDURL("#sign-0", relativeTo: try DID("did:example:abc"))
        #expect(relative.description == "did:example:abc#sign-0")
        #expect(throws: IdentityError.self) { try DIDURL("#sign-0") }
        #expect(throws: IdentityError.self) { try DIDURL("https://example.com#key") }
    }

    @Test("did:custos tag is base58btc(BLAKE2b-256(initial key)) and the network is validated")
    func custosDID() throws {
        let key = Fixture.key(7)
        let did = try CustosDID(network: "acme01", initialKey: key.publicKey)
        #expect(did.tag == Base58.encode(BLAKE2b.hash256(key.publicKey.rawRepresentation)))
        #expect(did.description == "did:custos:acme01:" + did.tag)
        #expect(did.isDerived(from: key.publicKey))
        #expect(!did.isDerived(from: Fixture.key(8).publicKey))
        #expect(try CustosDID(did.description) == did)
        for network in ["", "UPPER", "a-b", "abcdefghijklmnopq"] {
            #expect(throws: IdentityError.self, "\(network)") {
                try CustosDID(network: network, initialKey: key.publicKey)
            }
        }
        #expect(throws: IdentityError.self) { try CustosDID("did:custos:net:short") }
        #expect(throws: IdentityError.self) { try CustosDID("did:custos:" + did.tag) }
        #expect(throws: IdentityError.self) { try CustosDID("did:key:" + did.tag) }
    }

    @Test("did:iota tag derivation matches the IS mock identity (vector #4)")
    func iotaTag() throws {
        let publicKey = try Ed25519.PublicKey(
            rawRepresentation: try Base58.decode("GPpRru9YxgY2amWqzAkWbLwuL25x47o73oBhp4f5avij"))
        #expect(
            Base58.encode(BLAKE2b.hash256(publicKey.rawRepresentation))
                == "EMjd32WoJqWMHnktc3TrjdMH6brTovTe5bGpPrVuDdKi")
    }

    @Test("the standard did:custos document has #sign-0 and #kex-0 under the right relationships")
    func initialDocument() throws {
        let identity = Fixture.identity(1)
        let document = identity.chain.latest.document
        let sign = try #require(document.method("#sign-0"))
        #expect(try sign.ed25519Key() == identity.key.publicKey)
        #expect(document.isAuthorized(sign.id, for: .capabilityInvocation))
        #expect(document.isAuthorized(sign.id, for: .authentication))
        #expect(document.isAuthorized(sign.id, for: .assertionMethod))
        let kex = try #require(document.method("#kex-0"))
        #expect(kex.key == .x25519(try identity.key.publicKey.x25519()))
        #expect(document.isAuthorized(kex.id, for: .keyAgreement))
        #expect(sign.json["publicKeyMultibase"]?.stringValue?.hasPrefix("z6Mk") == true)
        #expect(kex.json["publicKeyMultibase"]?.stringValue?.hasPrefix("z6LS") == true)
    }
}
