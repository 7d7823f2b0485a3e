import CustosCrypto
import Testing

@Suite("XChaCha20-Poly1305")
struct XChaCha20Poly1305Tests {
    @Test("draft-irtf-cfrg-xchacha §A.3.1 vector (cross-checked with PyNaCl)")
    func draftVector() throws {
        let plaintext = utf8(
            "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, "
                + "sunscreen would be it.")
        let aad = hex("50515253c0c1c2c3c4c5c6c7")
        let key = try SymmetricKey(
            rawRepresentation: hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"))
        let nonce = hex("404142434445464748494a4b4c4d4e4f5051525354555657")
        let ciphertext = hex(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39"
                + "ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                + "21f9664c97637da9768812f615c68b13b52e")
        let tag = hex("c0875924c1c7987947deafd8780acf49")

        let sealed = try XChaCha20Poly1305.seal(plaintext, using: key, nonce: nonce, authenticating: aad)
        #expect(sealed == nonce + ciphertext + tag)
        #expect(try XChaCha20Poly1305.open(sealed, using: key, authenticating: aad) == plaintext)
    }

    @Test("round trip with random nonce; nonces differ between calls")
    func roundTrip() throws {
        let key = SymmetricKey()
        let message = utf8("stored tenant key")
        let first = try XChaCha20Poly1305.seal(message, using: key, authenticating: utf8("tenant-1"))
        let second = try XChaCha20Poly1305.seal(message, using: key, authenticating: utf8("tenant-1"))
        #expect(first.count == XChaCha20Poly1305.nonceByteCount + message.count + XChaCha20Poly1305.tagByteCount)
        #expect(first.prefix(24) != second.prefix(24))
        #expect(try XChaCha20Poly1305.open(first, using: key, authenticating: utf8("tenant-1")) == message)
        #expect(try XChaCha20Poly1305.open(second[...], using: key, authenticating: utf8("tenant-1")[...]) == message)
    }

    @Test("empty plaintext and default (empty) AAD")
    func emptyPlaintext() throws {
        let key = SymmetricKey()
        let sealed = try XChaCha20Poly1305.seal([UInt8](), using: key)
        #expect(sealed.count == 40)
        #expect(try XChaCha20Poly1305.open(sealed, using: key).isEmpty)
        #expect(throws: CryptoError.authenticationFailed) {
            try XChaCha20Poly1305.open(sealed, using: key, authenticating: [0])
        }
    }

    @Test("any flipped bit in nonce, ciphertext or tag is rejected")
    func bitFlips() throws {
        let key = SymmetricKey()
        let sealed = try XChaCha20Poly1305.seal(utf8("audit"), using: key, authenticating: utf8("aad"))
        for index in sealed.indices {
            for bit in [UInt8(0x01), 0x80] {
                #expect(throws: CryptoError.authenticationFailed) {
                    try XChaCha20Poly1305.open(
                        flippingBit(sealed, at: index, bit: bit), using: key, authenticating: utf8("aad"))
                }
            }
        }
    }

    @Test("wrong key or wrong AAD is rejected")
    func wrongKeyOrAAD() throws {
        let key = SymmetricKey()
        let sealed = try XChaCha20Poly1305.seal(utf8("audit"), using: key, authenticating: utf8("channel-1"))
        #expect(throws: CryptoError.authenticationFailed) {
            try XChaCha20Poly1305.open(sealed, using: SymmetricKey(), authenticating: utf8("channel-1"))
        }
        #expect(throws: CryptoError.authenticationFailed) {
            try XChaCha20Poly1305.open(sealed, using: key, authenticating: utf8("channel-2"))
        }
        #expect(throws: CryptoError.authenticationFailed) { try XChaCha20Poly1305.open(sealed, using: key) }
    }

    @Test("truncated input throws instead of crashing", arguments: [0, 1, 23, 24, 39, 40, 44])
    func truncated(length: Int) throws {
        let key = SymmetricKey()
        let sealed = try XChaCha20Poly1305.seal(utf8("audit"), using: key)
        #expect(sealed.count == 45)
        #expect(throws: CryptoError.authenticationFailed) {
            try XChaCha20Poly1305.open(sealed.prefix(length), using: key)
        }
    }

    @Test("nonce of the wrong length throws invalidLength")
    func badNonce() {
        #expect(throws: CryptoError.invalidLength(what: "XChaCha20-Poly1305 nonce", expected: 24, actual: 12)) {
            try XChaCha20Poly1305.seal([1], using: SymmetricKey(), nonce: [UInt8](repeating: 0, count: 12))
        }
    }
}

@Suite("SymmetricKey")
struct SymmetricKeyTests {
    @Test("random keys differ; raw bytes round-trip; wrong length throws")
    func basics() throws {
        #expect(SymmetricKey().rawRepresentation != SymmetricKey().rawRepresentation)
        let raw = SecureRandom.bytes(count: 32)
        #expect(try SymmetricKey(rawRepresentation: raw).rawRepresentation == raw)
        #expect(throws: CryptoError.invalidLength(what: "symmetric key", expected: 32, actual: 16)) {
            try SymmetricKey(rawRepresentation: raw.prefix(16))
        }
    }

    @Test("description is redacted")
    func redacted() throws {
        let raw = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
        let key = try SymmetricKey(rawRepresentation: raw)
        for text in [key.description, "\(key)", String(reflecting: key)] {
            #expect(!text.contains(hexString(raw)))
            #expect(!text.contains("80818283"))
        }
    }
}
