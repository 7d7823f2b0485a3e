import CustosCrypto
import Testing

@Suite("X25519")
struct X25519Tests {
    static let alicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
    static let alicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
    static let bobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
    static let bobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
    static let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

    @Test("RFC 7748 §6.1: private keys → public keys → shared secret")
    func rfc7748() throws {
        let alice = try X25519.PrivateKey(rawRepresentation: hex(Self.alicePrivate))
        let bob = try X25519.PrivateKey(rawRepresentation: hex(Self.bobPrivate))
        #expect(hexString(alice.publicKey.rawRepresentation) == Self.alicePublic)
        #expect(hexString(bob.publicKey.rawRepresentation) == Self.bobPublic)
        #expect(alice.rawRepresentation == hex(Self.alicePrivate))

        let bobPublic = try X25519.PublicKey(rawRepresentation: hex(Self.bobPublic))
        let alicePublic = try X25519.PublicKey(rawRepresentation: hex(Self.alicePublic))
        #expect(hexString(try alice.sharedSecret(with: bobPublic)) == Self.shared)
        #expect(hexString(try bob.sharedSecret(with: alicePublic)) == Self.shared)
    }

    @Test("random key pairs agree and differ from each other")
    func randomAgreement() throws {
        let a = X25519.PrivateKey()
        let b = X25519.PrivateKey()
        let c = X25519.PrivateKey()
        #expect(a.rawRepresentation != b.rawRepresentation)
        let ab = try a.sharedSecret(with: b.publicKey)
        #expect(ab == (try b.sharedSecret(with: a.publicKey)))
        #expect(ab != (try a.sharedSecret(with: c.publicKey)))
    }

    /// libsodium's low-order blacklist (0, 1, two order-8 points, p-1, p, p+1) plus high-bit variants.
    static let lowOrderPoints: [String] = [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
    ]

    @Test("low-order public keys are rejected with weakKey", arguments: lowOrderPoints)
    func lowOrderRejected(point: String) {
        #expect(throws: CryptoError.weakKey) { try X25519.PublicKey(rawRepresentation: hex(point)) }
    }

    @Test("ordinary public keys (including ones off the curve, on the twist) are accepted")
    func ordinaryKeysAccepted() throws {
        #expect(
            try X25519.PublicKey(rawRepresentation: [9] + [UInt8](repeating: 0, count: 31)).rawRepresentation[0] == 9)
        for _ in 0..<8 {
            _ = try X25519.PublicKey(rawRepresentation: SecureRandom.bytes(count: 32))
        }
    }

    @Test("wrong lengths throw invalidLength")
    func wrongLengths() {
        #expect(throws: CryptoError.invalidLength(what: "X25519 public key", expected: 32, actual: 31)) {
            try X25519.PublicKey(rawRepresentation: [UInt8](repeating: 9, count: 31))
        }
        #expect(throws: CryptoError.invalidLength(what: "X25519 private key", expected: 32, actual: 64)) {
            try X25519.PrivateKey(rawRepresentation: [UInt8](repeating: 9, count: 64))
        }
    }

    @Test("private key description never reveals the scalar")
    func redactedDescription() throws {
        let key = try X25519.PrivateKey(rawRepresentation: hex(Self.alicePrivate))
        for text in [key.description, "\(key)", String(reflecting: key)] {
            #expect(!text.contains(Self.alicePrivate))
            #expect(!text.contains(String(Self.alicePrivate.prefix(16))))
        }
        #expect(key.description.contains(Self.alicePublic))
    }
}
