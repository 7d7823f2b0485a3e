import CustosCrypto
import Testing

@Suite("SHA-2 and HMAC-SHA-256")
struct SHA2Tests {
    @Test("SHA-256 FIPS 180 vectors")
    func sha256() {
        #expect(
            hexString(SHA256.hash(utf8("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hexString(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            hexString(SHA256.hash(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.byteCount == 32)
    }

    @Test("SHA-512 FIPS 180 vectors")
    func sha512() {
        #expect(
            hexString(SHA512.hash(utf8("abc")))
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f")
        let twoBlocks =
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
            + "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
        #expect(
            hexString(SHA512.hash(utf8(twoBlocks)))
                == "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909")
    }

    @Test("incremental hashers match one-shot and fork on copy")
    func incremental() {
        let message = utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        var sha256 = SHA256.Hasher()
        var sha512 = SHA512.Hasher()
        for chunk in stride(from: 0, to: message.count, by: 5) {
            sha256.update(message[chunk..<min(chunk + 5, message.count)])
            sha512.update(message[chunk..<min(chunk + 5, message.count)])
        }
        #expect(sha256.finalize() == SHA256.hash(message))
        #expect(sha512.finalize() == SHA512.hash(message))
        var fork = sha256
        fork.update([0])
        #expect(fork.finalize() == SHA256.hash(message + [0]))
        #expect(sha256.finalize() == SHA256.hash(message))
    }

    @Test("HMAC-SHA-256 RFC 4231 test cases 1, 2 and 6 (key longer than the block)")
    func hmacRFC4231() {
        #expect(
            hexString(HMACSHA256.authenticationCode(for: utf8("Hi There"), key: [UInt8](repeating: 0x0b, count: 20)))
                == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(
            hexString(HMACSHA256.authenticationCode(for: utf8("what do ya want for nothing?"), key: utf8("Jefe")))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(
            hexString(
                HMACSHA256.authenticationCode(
                    for: utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
                    key: [UInt8](repeating: 0xaa, count: 131)))
                == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("HMAC verification rejects tampered, truncated or wrong-key codes")
    func hmacVerification() {
        let key = utf8("Jefe")
        let message = utf8("what do ya want for nothing?")
        let code = HMACSHA256.authenticationCode(for: message, key: key)
        #expect(HMACSHA256.isValidAuthenticationCode(code, for: message, key: key))
        #expect(!HMACSHA256.isValidAuthenticationCode(flippingBit(code, at: 31), for: message, key: key))
        #expect(!HMACSHA256.isValidAuthenticationCode(code.prefix(16), for: message, key: key))
        #expect(!HMACSHA256.isValidAuthenticationCode(code, for: message, key: utf8("jefe")))
    }
}
