import CustosCrypto
import Testing

@Suite("SealedBox")
struct SealedBoxTests {
    @Test("seal then open with the recipient key; overhead is 48 bytes")
    func roundTrip() throws {
        let recipient = X25519.PrivateKey()
        let message = utf8("epoch secret key || channelId || epoch")
        let box = SealedBox.seal(message, to: recipient.publicKey)
        #expect(SealedBox.overhead == 48)
        #expect(box.count == message.count + SealedBox.overhead)
        #expect(try SealedBox.open(box, with: recipient) == message)
        #expect(try SealedBox.open(box[...], with: recipient) == message)
    }

    @Test("sealing is randomized (fresh ephemeral key each time)")
    func randomized() {
        let recipient = X25519.PrivateKey()
        #expect(
            SealedBox.seal([1, 2, 3], to: recipient.publicKey) != SealedBox.seal([1, 2, 3], to: recipient.publicKey))
    }

    @Test("empty message round-trips")
    func emptyMessage() throws {
        let recipient = X25519.PrivateKey()
        let box = SealedBox.seal([UInt8](), to: recipient.publicKey)
        #expect(box.count == SealedBox.overhead)
        #expect(try SealedBox.open(box, with: recipient).isEmpty)
    }

    @Test("works with keys converted from Ed25519 (did:key style)")
    func convertedKeys() throws {
        let identity = Ed25519.PrivateKey()
        let box = SealedBox.seal(utf8("hi"), to: try identity.publicKey.x25519())
        #expect(try SealedBox.open(box, with: identity.x25519()) == utf8("hi"))
    }

    @Test("the wrong recipient cannot open")
    func wrongKey() {
        let box = SealedBox.seal(utf8("secret"), to: X25519.PrivateKey().publicKey)
        #expect(throws: CryptoError.authenticationFailed) { try SealedBox.open(box, with: X25519.PrivateKey()) }
    }

    @Test("every single-bit change is detected")
    func tampered() {
        let recipient = X25519.PrivateKey()
        let box = SealedBox.seal(utf8("0123456789"), to: recipient.publicKey)
        for index in box.indices {
            #expect(throws: CryptoError.authenticationFailed) {
                try SealedBox.open(flippingBit(box, at: index, bit: 0x40), with: recipient)
            }
        }
    }

    @Test("truncated or extended ciphertexts fail without crashing")
    func truncated() {
        let recipient = X25519.PrivateKey()
        let box = SealedBox.seal(utf8("0123456789"), to: recipient.publicKey)
        for length in [0, 1, 31, 32, 47, 48, box.count - 1] {
            #expect(throws: CryptoError.authenticationFailed) {
                try SealedBox.open(box.prefix(length), with: recipient)
            }
        }
        #expect(throws: CryptoError.authenticationFailed) { try SealedBox.open(box + [0], with: recipient) }
    }
}
