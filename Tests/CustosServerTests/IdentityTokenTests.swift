import CustosAuth
import CustosCore
import CustosCrypto
import Foundation
import Testing

/// Identity tokens (EdDSA JWTs): a token verifies only with the tenant's key, for its tenant, in its lifetime,
/// and every alteration is refused with a 401-kind error.
@Suite("Identity tokens")
struct IdentityTokenTests {
    static let key = try! Ed25519.PrivateKey(seed: [UInt8](repeating: 7, count: 32))
    static let kid = "did:custos:acme:root#sign-0"
    static let tenant = TenantID("acme")!
    static let now = Date(timeIntervalSince1970: 1_796_140_800)

    static func token(now: Date = now, tenant: TenantID = tenant) throws -> String {
        try IdentityToken(
            subject: "did:custos:acme:user", username: "user", role: "Admin", tenant: tenant,
            issuer: "did:custos:acme:root", now: now, id: "jti-1"
        ).signed(with: key, keyID: kid)
    }

    static func verify(_ token: String, at date: Date = now) throws(IdentityTokenError) -> IdentityToken {
        try IdentityToken.verify(token, keys: [kid: key.publicKey], tenant: tenant, now: date)
    }

    @Test("a token verifies and carries its claims")
    func roundTrip() throws {
        let verified = try Self.verify(try Self.token())
        #expect(verified.subject == "did:custos:acme:user" && verified.role == "Admin" && verified.id == "jti-1")
        #expect(verified.expiresAt - verified.issuedAt == IdentityToken.lifetime)
    }

    @Test("expired, future, foreign, unknown-key and wrong-key tokens are refused")
    func refusals() throws {
        let token = try Self.token()
        #expect(throws: IdentityTokenError.expired) {
            try Self.verify(token, at: Self.now.addingTimeInterval(Double(IdentityToken.lifetime + 60)))
        }
        #expect(throws: IdentityTokenError.self) { try Self.verify(token, at: Self.now.addingTimeInterval(-120)) }
        #expect(throws: IdentityTokenError.wrongAudience) {
            try Self.verify(try Self.token(tenant: TenantID("globex")!))
        }
        #expect(throws: IdentityTokenError.unknownKey) {
            try IdentityToken.verify(token, keys: [:], tenant: Self.tenant, now: Self.now)
        }
        let other = try Ed25519.PrivateKey(seed: [UInt8](repeating: 8, count: 32))
        #expect(throws: IdentityTokenError.invalidSignature) {
            try IdentityToken.verify(token, keys: [Self.kid: other.publicKey], tenant: Self.tenant, now: Self.now)
        }
    }

    @Test("a changed byte, a swapped payload, alg none or HS256, and malformed shapes are refused")
    func tampering() throws {
        let token = try Self.token()
        let parts = token.split(separator: ".").map(String.init)
        // Every single-character change of the signed parts breaks the signature (or the parsing).
        for index in [0, parts[0].count / 2, parts[0].count + 1 + parts[1].count / 2] {
            var characters = Array(token)
            characters[index] = characters[index] == "A" ? "B" : "A"
            #expect(throws: IdentityTokenError.self) { try Self.verify(String(characters)) }
        }
        let promoted = Base64URL.encode(
            try JCS.canonicalBytes(
                [
                    "aud": "acme", "exp": 1_796_200_000, "iat": 1_796_140_800, "iss": "did:custos:acme:root",
                    "jti": "x", "sub": "did:custos:acme:other",
                ]))
        #expect(throws: IdentityTokenError.invalidSignature) {
            try Self.verify(parts[0] + "." + promoted + "." + parts[2])
        }
        for alg in ["none", "HS256"] {
            let header = Base64URL.encode(try JCS.canonicalBytes(["alg": .string(alg), "kid": .string(Self.kid)]))
            #expect(throws: IdentityTokenError.malformed("alg must be EdDSA")) {
                try Self.verify(header + "." + parts[1] + "." + parts[2])
            }
        }
        for malformed in ["", "a.b", "a.b.c.d", "!!.??.**", String(repeating: "a", count: 9000)] {
            #expect(throws: IdentityTokenError.self) { try Self.verify(malformed) }
        }
    }
}
