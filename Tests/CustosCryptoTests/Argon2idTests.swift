import CustosCrypto
import Testing

@Suite("Argon2id")
struct Argon2idTests {
    static let password = utf8("correct horse battery staple")
    static let salt = (0..<16).map { UInt8($0) }

    @Test("deriveKey matches PyNaCl and argon2-cffi (independent reference implementation)")
    func knownVectors() throws {
        let minimal = try Argon2id.deriveKey(
            password: Self.password, salt: Self.salt, outputByteCount: 32, parameters: .minimal)
        #expect(hexString(minimal) == "d17ea6341ca93da6079ea2f64dc4aa31dd1aaf9caa67fb42ac4afd0714706f26")
        let custom = try Argon2id.deriveKey(
            password: Self.password, salt: Self.salt, outputByteCount: 32,
            parameters: Argon2id.Parameters(opsLimit: 2, memLimit: 64 * 1024))
        #expect(hexString(custom) == "2df47ede6358ed17a9976d4fcedb897a10036d432a4acef17d263bfc98bd20ac")
    }

    @Test("deriveKey is deterministic, and salt, password and parameters all matter")
    func deriveKeyInputs() throws {
        typealias Parameters = Argon2id.Parameters
        func derive(_ password: [UInt8], _ salt: [UInt8], _ parameters: Parameters = .minimal) throws -> [UInt8] {
            try Argon2id.deriveKey(password: password, salt: salt, outputByteCount: 32, parameters: parameters)
        }
        let base = try derive(Self.password, Self.salt)
        #expect(try derive(Self.password, Self.salt) == base)
        #expect(try derive(Self.password, flippingBit(Self.salt, at: 15)) != base)
        #expect(try derive(flippingBit(Self.password, at: 0), Self.salt) != base)
        #expect(try derive(Self.password, Self.salt, Argon2id.Parameters(opsLimit: 2, memLimit: 8192)) != base)
        #expect(try derive([], Self.salt).count == 32)
    }

    @Test("hashPassword / verifyPassword with minimal parameters")
    func passwordHashing() throws {
        let hash = try Argon2id.hashPassword(Self.password, parameters: .minimal)
        #expect(hash.hasPrefix("$argon2id$v=19$m=8,t=1,p=1$"))
        #expect(Argon2id.verifyPassword(Self.password, hash: hash))
        #expect(!Argon2id.verifyPassword(utf8("correct horse battery stapl"), hash: hash))
        #expect(!Argon2id.verifyPassword(Self.password + [0], hash: hash))
        #expect(!Argon2id.verifyPassword([], hash: hash))
        // A fresh random salt every time.
        #expect(try Argon2id.hashPassword(Self.password, parameters: .minimal) != hash)
    }

    @Test("malformed or tampered hash strings never verify")
    func malformedHashes() throws {
        let hash = try Argon2id.hashPassword(Self.password, parameters: .minimal)
        // Swap one base64 character of the digest for a different one.
        var tampered = Array(hash.utf8)
        let last = tampered.count - 2
        tampered[last] = tampered[last] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        for candidate in [
            "", "$argon2id$", "not a hash", String(hash.dropLast(5)), String(decoding: tampered, as: UTF8.self),
            "$argon2i$" + hash.dropFirst("$argon2id$".count), hash + "\u{0}junk",
        ] {
            #expect(!Argon2id.verifyPassword(Self.password, hash: candidate))
        }
    }

    @Test("needsRehash reports hashes made with other parameters")
    func needsRehash() throws {
        let hash = try Argon2id.hashPassword(Self.password, parameters: .minimal)
        #expect(!Argon2id.needsRehash(hash, parameters: .minimal))
        #expect(Argon2id.needsRehash(hash, parameters: .interactive))
        #expect(Argon2id.needsRehash("garbage", parameters: .minimal))
    }

    @Test("parameter presets follow libsodium's argon2id constants")
    func presets() {
        #expect(Argon2id.Parameters.minimal == Argon2id.Parameters(opsLimit: 1, memLimit: 8192))
        #expect(Argon2id.Parameters.interactive == Argon2id.Parameters(opsLimit: 2, memLimit: 64 << 20))
        #expect(Argon2id.Parameters.moderate == Argon2id.Parameters(opsLimit: 3, memLimit: 256 << 20))
    }

    @Test("invalid salt, output size or limits throw")
    func invalidInputs() {
        #expect(throws: CryptoError.invalidLength(what: "Argon2id salt", expected: 16, actual: 8)) {
            try Argon2id.deriveKey(
                password: Self.password, salt: Self.salt.prefix(8), outputByteCount: 32, parameters: .minimal)
        }
        #expect(throws: CryptoError.self) {
            try Argon2id.deriveKey(password: Self.password, salt: Self.salt, outputByteCount: 15, parameters: .minimal)
        }
        #expect(throws: CryptoError.self) {
            try Argon2id.deriveKey(
                password: Self.password, salt: Self.salt, outputByteCount: 32,
                parameters: Argon2id.Parameters(opsLimit: 0, memLimit: 8192))
        }
        #expect(throws: CryptoError.self) {
            try Argon2id.hashPassword(Self.password, parameters: Argon2id.Parameters(opsLimit: 1, memLimit: 4096))
        }
    }
}
