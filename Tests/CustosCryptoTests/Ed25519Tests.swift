import CustosCrypto
import Testing

struct RFC8032Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let seed: String
    let publicKey: String
    let message: String
    let signature: String

    var testDescription: String { name }
}

/// RFC 8032 section 7.1 (cross-checked with PyNaCl while writing these tests).
let rfc8032Vectors: [RFC8032Vector] = [
    RFC8032Vector(
        name: "TEST 1",
        seed: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        message: "",
        signature: "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
            + "d25bf5f0595bbe24655141438e7a100b"),
    RFC8032Vector(
        name: "TEST 2",
        seed: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        message: "72",
        signature: "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c"
            + "387b2eaeb4302aeeb00d291612bb0c00"),
    RFC8032Vector(
        name: "TEST 3",
        seed: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
        publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        message: "af82",
        signature: "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc659"
            + "4a7c15e9716ed28dc027beceea1ec40a"),
    RFC8032Vector(
        name: "TEST SHA(abc)",
        seed: "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
        publicKey: "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
        message: "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
            + "454d4423643ce80e2a9ac94fa54ca49f",
        signature: "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e030"
            + "3dca179c138ac17ad9bef1177331a704"),
]

@Suite("Ed25519")
struct Ed25519Tests {
    @Test("RFC 8032 §7.1 vectors: key derivation, exact signature bytes, verification", arguments: rfc8032Vectors)
    func rfc8032(vector: RFC8032Vector) throws {
        let key = try Ed25519.PrivateKey(seed: hex(vector.seed))
        #expect(hexString(key.publicKey.rawRepresentation) == vector.publicKey)
        #expect(key.seed == hex(vector.seed))
        let message = hex(vector.message)
        let signature = key.signature(for: message)
        #expect(signature.count == Ed25519.signatureByteCount)
        #expect(hexString(signature) == vector.signature)

        let publicKey = try Ed25519.PublicKey(rawRepresentation: hex(vector.publicKey))
        #expect(publicKey == key.publicKey)
        #expect(publicKey.isValidSignature(hex(vector.signature), for: message))
    }

    @Test("TEST SHA(abc) message is SHA-512(\"abc\")")
    func shaAbcMessage() {
        #expect(SHA512.hash(utf8("abc")) == hex(rfc8032Vectors[3].message))
    }

    @Test("every single-bit change to the signature is rejected")
    func tamperedSignature() throws {
        let vector = rfc8032Vectors[2]
        let publicKey = try Ed25519.PublicKey(rawRepresentation: hex(vector.publicKey))
        let signature = hex(vector.signature)
        let message = hex(vector.message)
        for index in signature.indices {
            for bit in [UInt8(0x01), 0x80] {
                #expect(!publicKey.isValidSignature(flippingBit(signature, at: index, bit: bit), for: message))
            }
        }
    }

    @Test("tampered, extended or truncated message is rejected")
    func tamperedMessage() throws {
        let key = try Ed25519.PrivateKey(seed: hex(rfc8032Vectors[1].seed))
        let message = utf8("append-only audit entry #42")
        let signature = key.signature(for: message)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        for index in message.indices {
            #expect(!key.publicKey.isValidSignature(signature, for: flippingBit(message, at: index)))
        }
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        #expect(!key.publicKey.isValidSignature(signature, for: message.dropLast()))
        #expect(!key.publicKey.isValidSignature(signature, for: [UInt8]()))
    }

    @Test("signature from another key is rejected")
    func wrongKey() throws {
        let signer = try Ed25519.PrivateKey(seed: hex(rfc8032Vectors[0].seed))
        let other = try Ed25519.PublicKey(rawRepresentation: hex(rfc8032Vectors[1].publicKey))
        let message = utf8("hello")
        #expect(!other.isValidSignature(signer.signature(for: message), for: message))
        #expect(!Ed25519.PrivateKey().publicKey.isValidSignature(signer.signature(for: message), for: message))
    }

    @Test("wrong signature lengths return false instead of trapping", arguments: [0, 1, 32, 63, 65, 128])
    func wrongSignatureLength(length: Int) throws {
        let key = try Ed25519.PrivateKey(seed: hex(rfc8032Vectors[0].seed))
        let message = [UInt8]()
        let valid = key.signature(for: message)
        let candidate = Array((valid + valid).prefix(length)) + [UInt8](repeating: 0, count: max(0, length - 128))
        #expect(!key.publicKey.isValidSignature(candidate, for: message))
    }

    @Test("invalid public key points never verify")
    func invalidPublicKey() throws {
        let message = utf8("m")
        let signature = try Ed25519.PrivateKey(seed: hex(rfc8032Vectors[0].seed)).signature(for: message)
        for bytes in [
            [UInt8](repeating: 0, count: 32), [1] + [UInt8](repeating: 0, count: 31),
            [UInt8](repeating: 0xff, count: 32),
        ] {
            let key = try Ed25519.PublicKey(rawRepresentation: bytes)
            #expect(!key.isValidSignature(signature, for: message))
        }
    }

    @Test("signing is deterministic and verifies for slices and non-contiguous collections")
    func deterministicAndCollections() throws {
        let key = Ed25519.PrivateKey()
        let message = utf8("xx-payload-xx")
        let slice = message[2..<11]
        let signature = key.signature(for: slice)
        #expect(signature == key.signature(for: Array(slice)))
        #expect(signature == key.signature(for: Array(slice).lazy.map { $0 }))
        #expect(key.publicKey.isValidSignature(signature[...], for: Array(slice).reversed().reversed()))
    }

    @Test("random keys are distinct and round-trip through their seed")
    func randomKeys() throws {
        let first = Ed25519.PrivateKey()
        let second = Ed25519.PrivateKey()
        #expect(first.seed != second.seed)
        #expect(first.publicKey != second.publicKey)
        let restored = try Ed25519.PrivateKey(seed: first.seed)
        #expect(restored.publicKey == first.publicKey)
    }

    @Test("wrong seed and public key lengths throw invalidLength")
    func wrongLengths() {
        #expect(throws: CryptoError.invalidLength(what: "Ed25519 seed", expected: 32, actual: 31)) {
            try Ed25519.PrivateKey(seed: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: CryptoError.invalidLength(what: "Ed25519 seed", expected: 32, actual: 33)) {
            try Ed25519.PrivateKey(seed: [UInt8](repeating: 1, count: 33))
        }
        #expect(throws: CryptoError.invalidLength(what: "Ed25519 public key", expected: 32, actual: 0)) {
            try Ed25519.PublicKey(rawRepresentation: [UInt8]())
        }
        #expect(
            CryptoError.invalidLength(what: "Ed25519 seed", expected: 32, actual: 31).description
                == "Ed25519 seed must be 32 bytes, got 31")
    }

    @Test("private key description shows the public key but never the seed")
    func redactedDescription() throws {
        let seed = hex(rfc8032Vectors[0].seed)
        let key = try Ed25519.PrivateKey(seed: seed)
        for text in [key.description, "\(key)", String(reflecting: key)] {
            #expect(!text.contains(hexString(seed)))
            #expect(!text.contains(hexString(seed.prefix(8))))
        }
        #expect(key.description == "Ed25519.PrivateKey(public: \(rfc8032Vectors[0].publicKey))")
    }

    @Test("Ed25519 to X25519 conversion of both halves agrees and gives a working DH")
    func x25519Conversion() throws {
        let alice = Ed25519.PrivateKey()
        let bob = Ed25519.PrivateKey()
        let aliceX = alice.x25519()
        #expect(try aliceX.publicKey == alice.publicKey.x25519())
        let ab = try aliceX.sharedSecret(with: bob.publicKey.x25519())
        let ba = try bob.x25519().sharedSecret(with: alice.publicKey.x25519())
        #expect(ab == ba)
        #expect(ab.count == 32)
    }

    @Test("small-order Ed25519 public keys cannot be converted to X25519")
    func conversionRejectsSmallOrder() throws {
        for bytes in [[UInt8](repeating: 0, count: 32), [1] + [UInt8](repeating: 0, count: 31)] {
            let key = try Ed25519.PublicKey(rawRepresentation: bytes)
            #expect(throws: CryptoError.keyConversionFailed) { try key.x25519() }
        }
    }
}
