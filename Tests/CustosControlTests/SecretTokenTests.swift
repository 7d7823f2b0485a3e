import CustosAuth
import CustosCore
import Testing

@testable import CustosControl

@Suite("Secret tokens")
struct SecretTokenTests {
    @Test("generated keys parse back with the same hash and id")
    func roundTrip() throws {
        let key = SecretToken.generate(.apiKey)
        #expect(key.secret.hasPrefix("cst_"))
        let parsed = try SecretToken(parsing: key.secret, as: .apiKey)
        #expect(parsed.hash == key.hash)
        #expect(parsed.id == key.id)
        #expect(key.id.hasPrefix("key_") && key.id.count == 20)
        #expect(SecretToken.generate(.apiKey).hash != key.hash)
    }

    @Test("typos, truncation, padding and the wrong kind are rejected before any lookup")
    func rejections() throws {
        let key = SecretToken.generate(.apiKey).secret
        var candidates = [
            String(key.dropLast()), key + "1", "csa_" + key.dropFirst(4), "cst_", "", "cst_0OIl",
            String(repeating: "cst_", count: 30),
        ]
        // Every single-character substitution in the body breaks the checksum (or the base58 alphabet).
        for index in key.indices.dropFirst(4) {
            var changed = key
            let replacement: Character = key[index] == "2" ? "3" : "2"
            changed.replaceSubrange(index...index, with: String(replacement))
            candidates.append(changed)
        }
        for candidate in candidates {
            #expect(throws: CredentialError.self, "\(candidate)") { try SecretToken(parsing: candidate, as: .apiKey) }
        }
        let admin = SecretToken.generate(.adminToken)
        #expect(throws: CredentialError.self) { try SecretToken(parsing: admin.secret, as: .apiKey) }
    }

    @Test("hashes are domain-separated by kind and descriptions never reveal the secret")
    func separation() throws {
        let admin = SecretToken.generate(.adminToken)
        #expect(!"\(admin)".contains(admin.secret))
        #expect(!admin.id.contains(String(admin.secret.dropFirst(4).prefix(8))))
        #expect(CredentialError.invalidAPIKey.kind == .unauthenticated)
        #expect(!CredentialError.malformed(.apiKey).description.contains(admin.secret))
    }
}
