import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

/// Interoperability with a second, independent eddsa-jcs-2022 implementation: `Interop/eddsa_jcs_2022.py`
/// (PyNaCl and its own JCS canonicaliser and base58), run as a child process. Credentials signed there
/// verify here, and credentials and presentations signed here verify there.
///
/// These tests need `python3` with PyNaCl (`pip install pynacl`). Without it they are skipped rather than
/// failed, because the second implementation is not part of the Swift toolchain.
@Suite("Interop with an independent eddsa-jcs-2022 implementation (Python, PyNaCl)")
struct InteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Interop").appendingPathComponent("eddsa_jcs_2022.py").path

    /// Whether `python3 -c 'import nacl'` succeeds.
    static let hasPyNaCl: Bool = {
        guard let result = try? python(["-c", "import nacl.signing"], input: "") else { return false }
        return result.status == 0
    }()

    static let seed = "9a1f3c5e7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c6e8b0d1f3a"

    /// Runs `python3 arguments` with `input` on stdin; returns the exit status, stdout and stderr.
    static func python(_ arguments: [String], input: String) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // The script reads all of stdin before writing, and the documents are far below a pipe's buffer.
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self)
        )
    }

    static var key: Ed25519.PrivateKey {
        try! Ed25519.PrivateKey(seed: try! Hex.decode(seed))
    }

    /// An unsigned credential written by hand (not by our serializer), with values that exercise JCS:
    /// number forms, escapes, non-ASCII text and keys that sort differently in UTF-16 and in Unicode order.
    static var unsignedText: String {
        """
        {
          "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
          "id": "urn:uuid:interop-1",
          "type": ["VerifiableCredential", "ExampleCredential"],
          "issuer": "\(DIDKey.did(for: key.publicKey))",
          "validFrom": "2025-01-01T00:00:00Z",
          "credentialSubject": {
            "id": "did:example:subject",
            "name": "Zoë \\u00e9\\u20ac 😀 \\"quoted\\" back\\\\slash\\ttab\\u0007 /",
            "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001, -0, 100, 1e21],
            "\\u20ac": 1, "\\r": 2, "\\ufb33": 3, "1": 4, "\\ud83d\\ude00": 5, "\\u0080": 6, "\\u00f6": 7,
            "nested": {"empty": {}, "list": [], "flag": false, "nothing": null}
          }
        }
        """
    }

    @Test(
        "a credential signed by the Python implementation verifies here; changed, it fails here",
        .enabled(if: hasPyNaCl, "needs python3 with PyNaCl (pip install pynacl)"))
    func pythonToSwift() async throws {
        let result = try Self.python(
            [Self.script, "sign", "--seed", Self.seed, "--created", "2025-01-01T00:00:00Z"], input: Self.unsignedText)
        #expect(result.status == 0, "\(result.errors)")
        let signed = try JSONParser.parse(result.output)
        #expect(signed["proof"]?["cryptosuite"] == "eddsa-jcs-2022")
        let verifier = CredentialVerifier(resolver: DIDKeyResolver())
        let verified = try await verifier.verify(signed, now: Fixture.now)
        #expect(verified.issuer == DIDKey.did(for: Self.key.publicKey))

        let report = await OfflineVerifier.verify(result.output, now: Fixture.now)
        #expect(report.isValid, "\(report)")

        for mutation in Tamper.mutations(of: signed) {
            let error = await Fixture.failure { () async throws(IdentityError) in
                try await verifier.verify(mutation.value, now: Fixture.now)
            }
            #expect(error != nil, "changing \(mutation.path) went unnoticed")
        }
    }

    @Test(
        "a credential and a presentation signed here verify in the Python implementation; changed, they fail there",
        .enabled(if: hasPyNaCl, "needs python3 with PyNaCl (pip install pynacl)"))
    func swiftToPython() throws {
        // 333333333.33333329 is signed input that a double cannot hold exactly: the strict parser refuses it
        // (I-JSON) rather than signing 333333333.3333333. Signed as its exact form, the rest is unchanged.
        #expect(throws: JSONError.self) { try JSONParser.parse(Self.unsignedText) }
        let unsigned = try JSONParser.parse(
            Self.unsignedText.replacing("333333333.33333329", with: "333333333.3333333"))
        let credential = try EddsaJcs2022.sign(
            unsigned, options: ProofOptions(purpose: .assertionMethod, created: Fixture.issued),
            signer: Ed25519Signer(didKey: Self.key))
        let verified = try Self.python([Self.script, "verify"], input: try JCS.canonicalString(credential))
        #expect(verified.status == 0 && verified.output == "OK\n", "\(verified.output)\(verified.errors)")

        let holderKey = Fixture.key(80)
        let presentation = try VerifiablePresentation.sign(
            PresentationDraft(holder: DIDKey.did(for: holderKey.publicKey), credentials: [credential]),
            signer: Ed25519Signer(didKey: holderKey), challenge: "c-42", domain: "example.org", created: Fixture.now)
        let presented = try Self.python(
            [Self.script, "verify", "--purpose", "authentication"], input: try JCS.canonicalString(presentation))
        #expect(presented.status == 0 && presented.output == "OK\n", "\(presented.output)\(presented.errors)")

        guard case .object(var members) = credential else { return }
        members["validFrom"] = "2024-01-01T00:00:00Z"
        let tampered = try Self.python([Self.script, "verify"], input: try JCS.canonicalString(.object(members)))
        #expect(tampered.status == 1)
        #expect(tampered.output == "FAIL: signature does not verify\n")
    }
}
