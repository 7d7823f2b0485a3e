import CustosCrypto
import Testing

struct DIDKeyVector: Sendable, CustomTestStringConvertible {
    let seedLastByte: UInt8
    let did: String
    let ed25519PublicKey: String
    let x25519Id: String
    let x25519PublicKey: String
    let x25519PrivateKey: String

    var testDescription: String { "seed 00…0\(seedLastByte)" }
    var seed: [UInt8] { [UInt8](repeating: 0, count: 31) + [seedLastByte] }
}

/// protocols.md §5.6 (w3c-ccg/did-method-key test-vectors/ed25519-x25519.json); base58 values.
let didKeyVectors: [DIDKeyVector] = [
    DIDKeyVector(
        seedLastByte: 0,
        did: "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        ed25519PublicKey: "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS",
        x25519Id: "z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW",
        x25519PublicKey: "7By6kV2t2d188odEM4ExAve1UithKT6dLva4dwsDT3ak",
        x25519PrivateKey: "6QN8DfuN9hjgHgPvLXqgzqYE3jRRGRrmJQZkd5tL8paR"),
    DIDKeyVector(
        seedLastByte: 1,
        did: "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
        ed25519PublicKey: "6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt",
        x25519Id: "z6LSrHyXiPBhUbvPUtyUCdf32sniiMGPTAesgHrtEa4FePtr",
        x25519PublicKey: "FcoNC5NqP9CePWbhfz95iHaEsCjGkZUioK9Ck7Qiw286",
        x25519PrivateKey: "HBTcN2MrXNRj9xF9oi8QqYyuEPv3JLLjQKuEgW9oxVKP"),
    DIDKeyVector(
        seedLastByte: 2,
        did: "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
        ed25519PublicKey: "8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH",
        x25519Id: "z6LSkkqoZRC34AEpbkhZCqLDcHQVAxuLpQ7kC8XCXMVUfvjE",
        x25519PublicKey: "A5fe37PAxhX5WNKngBpGHhC1KpNE7nwbK9oX2tqwxYxU",
        x25519PrivateKey: "ACa4PPJ1LnPNq1iwS33V3Akh7WtnC71WkKFZ9ccM6sX2"),
    DIDKeyVector(
        seedLastByte: 3,
        did: "did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ",
        ed25519PublicKey: "HPYVwAQmskwT1qEEeRzhoomyfyupJGASQQtCXSNG8XS2",
        x25519Id: "z6LSiUo6AEDat8Ze4nQzDo67SGuHLLwsUGkxndHGUjsywHow",
        x25519PublicKey: "7ocvdvQinfqtyQ3Dh9aA7ggoVCQkmfaoueZazHETDv3B",
        x25519PrivateKey: "FZrzd1osCnbK6y6MJzMBW1RcVfL524sNKhSbqRwMuwHT"),
]

@Suite("did:key vectors (protocols.md §5.6)")
struct DIDKeyTests {
    @Test("the test base58 decoder matches the hex given for seed 00…00")
    func base58Decoder() {
        #expect(
            base58Decode("4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS")
                == hex("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29"))
        #expect(base58Decode("0OIl") == nil)
        #expect(base58Decode("11") == [0, 0])
    }

    @Test("seed → Ed25519 pk, X25519 pk and clamped X25519 sk", arguments: didKeyVectors)
    func derivation(vector: DIDKeyVector) throws {
        let key = try Ed25519.PrivateKey(seed: vector.seed)
        let expectedEd = try #require(base58Decode(vector.ed25519PublicKey))
        #expect(key.publicKey.rawRepresentation == expectedEd)

        let expectedXPublic = try #require(base58Decode(vector.x25519PublicKey))
        let expectedXPrivate = try #require(base58Decode(vector.x25519PrivateKey))
        #expect(try key.publicKey.x25519().rawRepresentation == expectedXPublic)
        #expect(key.x25519().rawRepresentation == expectedXPrivate)
        #expect(key.x25519().publicKey.rawRepresentation == expectedXPublic)
        // The imported scalar must yield the same public key as the converted one.
        #expect(
            try X25519.PrivateKey(rawRepresentation: expectedXPrivate).publicKey.rawRepresentation == expectedXPublic)
    }

    @Test(
        "did:key and X25519 multibase ids carry the derived keys behind their multicodec prefixes",
        arguments: didKeyVectors)
    func multicodec(vector: DIDKeyVector) throws {
        let key = try Ed25519.PrivateKey(seed: vector.seed)
        let didPrefix = "did:key:z"
        #expect(vector.did.hasPrefix(didPrefix))
        let didBytes = try #require(base58Decode(String(vector.did.dropFirst(didPrefix.count))))
        #expect(didBytes == [0xed, 0x01] + key.publicKey.rawRepresentation)

        let xBytes = try #require(base58Decode(String(vector.x25519Id.dropFirst())))
        #expect(xBytes == [0xec, 0x01] + (try key.publicKey.x25519().rawRepresentation))
    }
}
