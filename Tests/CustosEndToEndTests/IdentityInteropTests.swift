import CustosCore
import CustosCrypto
import Foundation
import Testing

extension Platforms.Shared {
    /// Credentials issued by a tenant verify elsewhere, and credentials issued elsewhere verify here: with the
    /// independent eddsa-jcs-2022 implementation of Tests/CustosIdentityTests/Interop (Python, PyNaCl), and with
    /// `custosctl verify` offline, from what the gateway publishes.
    @Suite("SSI Bridge interop")
    struct IdentityInteropTests {
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CustosIdentityTests/Interop/eddsa_jcs_2022.py").path

        static let hasPyNaCl: Bool =
            (try? PlatformProcess.run("/usr/bin/env", ["python3", "-c", "import nacl.signing"]).status) == 0

        /// Runs the independent implementation with `input` as standard input.
        static func python(_ arguments: [String], input: String, in directory: URL) throws -> (Int32, String) {
            let file = directory.appendingPathComponent("input-\(UUID().uuidString).json")
            try input.write(to: file, atomically: true, encoding: .utf8)
            let quoted = ([script] + arguments).map { "'\($0)'" }.joined(separator: " ")
            let result = try PlatformProcess.run("/bin/sh", ["-c", "python3 \(quoted) < '\(file.path)'"])
            return (result.status, result.output)
        }

        static func text(_ value: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
        }

        @Test(
            "issued here: the Python verifier and custosctl verify accept it offline, refuse it tampered or revoked",
            .enabled(if: hasPyNaCl, "needs python3 with PyNaCl (pip install pynacl)"))
        func issuedHere() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ssi-interop"), on: platform)
            let (admin, _, _) = try await IdentityBridgeFlowTests.admin(tenant, "Admin-interop")
            let sdk = IdentityBridgeFlowTests.SDK(tenant: tenant)
            let holder = try await sdk.create("Holder-interop")
            let issued = try await admin.issue(
                holder.did, type: "BasicIdentityCredential", claimType: "Person", claim: ["jobTitle": "Auditor"])
            let credential = try #require(issued.object as [String: Any]?, "\(issued.text)")
            let issuer = try #require(credential["issuer"] as? String)
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
                "custos-ssi-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }

            // The issuer's document from the public resolver, as any verifier gets it.
            let resolved = try await HTTP.request("GET", tenant.gatewayURL + "/1.0/identifiers/\(issuer)")
            let document = try #require(resolved.object["didDocument"] as? [String: Any], "\(resolved.text)")
            let documentFile = directory.appendingPathComponent("issuer.json")
            try Self.text(document).write(to: documentFile, atomically: true, encoding: .utf8)
            let verified = try Self.python(
                ["verify", "--did-document", documentFile.path], input: issued.text, in: directory)
            #expect(verified.0 == 0 && verified.1.hasPrefix("OK"), "\(verified.1)")
            var tampered = credential
            var subject = try #require(credential["credentialSubject"] as? [String: Any])
            subject["jobTitle"] = "Director"
            tampered["credentialSubject"] = subject
            let refused = try Self.python(
                ["verify", "--did-document", documentFile.path], input: try Self.text(tampered), in: directory)
            #expect(refused.0 == 1 && refused.1.contains("signature"), "\(refused.1)")

            // custosctl verify, offline: the issuer's signed version and its status lists, all from the gateway.
            let latest = try await sdk.call("GET", "/verification/latest-document/\(issuer)")
            let version = try #require(latest.object["document"] as? [String: Any], "\(latest.text)")
            let versionFile = directory.appendingPathComponent("version.json")
            try Self.text(version).write(to: versionFile, atomically: true, encoding: .utf8)
            func statusFiles() async throws -> [String] {
                var arguments: [String] = []
                for entry in try #require(credential["credentialStatus"] as? [[String: Any]]) {
                    let url = try #require(entry["statusListCredential"] as? String)
                    let list = try await HTTP.request("GET", url)
                    #expect(list.status == 200, "\(list.text)")
                    let file = directory.appendingPathComponent("status-\(UUID().uuidString).json")
                    try list.text.write(to: file, atomically: true, encoding: .utf8)
                    arguments += ["--did-document", file.path]
                }
                return arguments
            }
            let credentialFile = directory.appendingPathComponent("credential.json")
            try issued.text.write(to: credentialFile, atomically: true, encoding: .utf8)
            let offline = try PlatformProcess.custosctl(
                ["verify", credentialFile.path, "--did-document", versionFile.path] + (try await statusFiles()))
            #expect(offline.status == 0, "\(offline.output)")

            let proof = try #require((credential["proof"] as? [String: Any])?["proofValue"] as? String)
            let revoked = try await admin.call("POST", "/verification/revoke-credential", ["signatureValue": proof])
            #expect(revoked.status == 200, "\(revoked.text)")
            let afterRevocation = try PlatformProcess.custosctl(
                ["verify", credentialFile.path, "--did-document", versionFile.path] + (try await statusFiles()))
            #expect(
                afterRevocation.status == 2 && afterRevocation.output.contains("revoked"), "\(afterRevocation.output)")
        }

        @Test(
            "issued there: a did:key credential of the Python signer verifies once its issuer is a trusted root",
            .enabled(if: hasPyNaCl, "needs python3 with PyNaCl (pip install pynacl)"))
        func issuedThere() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ssi-foreign"), on: platform)
            let (admin, _, _) = try await IdentityBridgeFlowTests.admin(tenant, "Admin-foreign")
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
                "custos-ssi-f\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let seed = String(repeating: "5a", count: 32)
            let issuer = Self.didKey(seed: seed)
            let unsigned = """
                {"@context":["https://www.w3.org/ns/credentials/v2"],"id":"urn:uuid:foreign-1",
                 "type":["VerifiableCredential","ExampleCredential"],
                 "issuer":"\(issuer)","validFrom":"2025-01-01T00:00:00Z",
                 "credentialSubject":{"id":"did:example:bob","licence":"B"}}
                """
            let signed = try Self.python(
                ["sign", "--seed", seed, "--created", "2025-01-01T00:00:00Z"], input: unsigned, in: directory)
            #expect(signed.0 == 0, "\(signed.1)")
            let credential = try JSONSerialization.jsonObject(with: Data(signed.1.utf8))
            #expect(try await admin.check(credential) == false, "an issuer nobody trusts")
            let trusted = try await admin.call(
                "POST", "/verification/trusted-roots", ["trustedRootId": issuer])
            #expect(trusted.status == 200, "\(trusted.text)")
            #expect(try await admin.check(credential) == true)
        }

        @Test(
            "an Integration Services style credential (VC 1.1, JcsEd25519Signature2020) verifies when its issuer resolves"
        )
        func legacyCredential() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ssi-legacy"), on: platform)
            let (admin, _, _) = try await IdentityBridgeFlowTests.admin(tenant, "Admin-legacy")
            let key = try Ed25519.PrivateKey(seed: [UInt8](repeating: 0x4c, count: 32))
            let issuer = Self.didKey(seed: String(repeating: "4c", count: 32))
            let method = issuer + "#" + String(issuer.dropFirst("did:key:".count))
            // Signed the IS way: Ed25519 over JCS(credential with the proof but no signatureValue), base58.
            var members: [String: JSONValue] = [
                "@context": "https://www.w3.org/2018/credentials/v1", "id": "did:example:subject",
                "type": ["VerifiableCredential", "BasicIdentityCredential"],
                "credentialSubject": ["id": "did:example:subject", "type": "Person", "name": "Legacy"],
                "issuer": .string(issuer), "issuanceDate": "2022-07-22T08:15:32Z",
                "proof": ["type": "JcsEd25519Signature2020", "verificationMethod": .string(method)],
            ]
            let signature = key.signature(for: try JCS.canonicalBytes(.object(members)))
            members["proof"] = [
                "type": "JcsEd25519Signature2020", "verificationMethod": .string(method),
                "signatureValue": .string(Base58.encode(signature)),
            ]
            let credential = try JSONSerialization.jsonObject(with: Data(try JCS.canonicalBytes(.object(members))))
            #expect(try await admin.check(credential) == false, "not trusted yet")
            #expect(
                try await admin.call("POST", "/verification/trusted-roots", ["trustedRootId": issuer]).status == 200)
            #expect(try await admin.check(credential) == true)
            members["credentialSubject"] = ["id": "did:example:subject", "type": "Person", "name": "Forged"]
            let tampered = try JSONSerialization.jsonObject(with: Data(try JCS.canonicalBytes(.object(members))))
            #expect(try await admin.check(tampered) == false)
        }

        /// The did:key of an Ed25519 seed given in hex.
        static func didKey(seed: String) -> String {
            let key = try! Ed25519.PrivateKey(seed: try! Hex.decode(seed))
            return "did:key:z" + Base58.encode([0xed, 0x01] + key.publicKey.rawRepresentation)
        }
    }
}
