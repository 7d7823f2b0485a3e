import CustosCrypto
import Testing

@testable import CustosLedger

@Suite("Verifier keys whose base64 contains '+'")
struct VerifierKeyPlusTests {
    @Test("keys round-trip whatever characters their base64 holds")
    func plusInBase64() throws {
        var checked = 0
        for seed in UInt8(0)...UInt8(255) {
            let key = try Ed25519.PrivateKey(seed: [UInt8](repeating: seed, count: 32))
            let verifier = try NoteVerifierKey(name: "custos.local/acme", publicKey: key.publicKey)
            guard verifier.text.split(separator: "+").count > 3 else { continue }
            let parsed = try NoteVerifierKey(parsing: verifier.text)
            #expect(parsed == verifier)
            checked += 1
        }
        #expect(checked > 10, "the seeds should include keys whose base64 contains '+'")
    }
}
