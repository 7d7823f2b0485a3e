import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation
import Testing

/// `custosctl verify` on credentials, offline, with the real binary.
@Suite("Credential verification CLI")
struct CredentialCLITests {
    @Test("usage errors exit with the status the help documents")
    func usageErrorStatus() throws {
        let help = try PlatformProcess.custosctl(["verify", "--help"])
        // The help wraps at the terminal width; compare the words, not the line breaks.
        let words = help.output.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("64 on usage errors"), "\(help.output)")
        let missing = try PlatformProcess.custosctl(["verify", "/nonexistent/receipt.json"])
        #expect(missing.status == 64, "\(missing.output)")
        let file = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("custos-usage-\(getpid()).json")
        try #"{"leafIndex":0,"inclusionProof":[]}"#.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let badKey = try PlatformProcess.custosctl(["verify", file.path, "--key", "not-a-key"])
        #expect(badKey.status == 64, "\(badKey.output)")
    }

    @Test("a did:key credential verifies; a tampered or expired one exits 2 and says why")
    func verifyCredential() throws {
        let key = try Ed25519.PrivateKey(seed: [UInt8](repeating: 42, count: 32))
        let signer = Ed25519Signer(didKey: key)
        let issuer = DIDKey.did(for: key.publicKey)
        let draft = CredentialDraft(
            issuer: issuer, subject: ["id": "did:example:alice", "degree": "BSc"], types: ["ExampleCredential"],
            validUntil: Date().addingTimeInterval(3600))
        let credential = try VerifiableCredential.issue(draft, signer: signer, created: Date().addingTimeInterval(-60))
        let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("custos-vc-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let good = directory.appendingPathComponent("good.json")
        try JCS.canonicalString(credential).write(to: good, atomically: true, encoding: .utf8)
        let ok = try PlatformProcess.custosctl(["verify", good.path])
        #expect(ok.status == 0, "\(ok.output)")

        var tampered = try #require(credential.objectValue)
        tampered["credentialSubject"] = ["id": "did:example:alice", "degree": "PhD"]
        let bad = directory.appendingPathComponent("bad.json")
        try JCS.canonicalString(.object(tampered)).write(to: bad, atomically: true, encoding: .utf8)
        let rejected = try PlatformProcess.custosctl(["verify", bad.path])
        #expect(rejected.status == 2, "\(rejected.output)")

        let expiredDraft = CredentialDraft(
            issuer: issuer, subject: ["id": "did:example:alice"], validFrom: Date().addingTimeInterval(-7200),
            validUntil: Date().addingTimeInterval(-3600))
        let expired = try VerifiableCredential.issue(
            expiredDraft, signer: signer, created: Date().addingTimeInterval(-7200))
        let old = directory.appendingPathComponent("expired.json")
        try JCS.canonicalString(expired).write(to: old, atomically: true, encoding: .utf8)
        let late = try PlatformProcess.custosctl(["verify", old.path])
        #expect(late.status == 2, "\(late.output)")
        #expect(late.output.lowercased().contains("expired"), "\(late.output)")
    }
}
