import Foundation
import Testing

extension Platforms.Shared {
    /// `custosctl identities` and `custosctl credentials` against a tenant gateway, with the real binary.
    @Suite("Identity CLI")
    struct IdentityCLITests {
        @Test("create an Admin and a user, list them, issue, check, revoke; errors say what to do")
        func adminFlow() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("ssi-cli"), on: platform)
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
                "custos-idcli-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let common = ["--gateway", tenant.gatewayURL]
            let environment = ["CUSTOS_API_KEY": tenant.apiKey]
            func ctl(_ arguments: [String]) throws -> (status: Int32, output: String) {
                try PlatformProcess.custosctl(arguments + common, environment: environment)
            }
            let adminKeys = directory.appendingPathComponent("admin.json").path
            let admin = try ctl(["identities", "create", "cli-admin", "--keys-out", adminKeys, "--role", "Admin"])
            #expect(admin.status == 0, "\(admin.output)")
            let adminDID = admin.output.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(adminDID.hasPrefix("did:custos:"))
            let mode = try FileManager.default.attributesOfItem(atPath: adminKeys)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let again = try ctl(["identities", "create", "cli-other", "--keys-out", adminKeys])
            #expect(again.status != 0 && again.output.contains("exists"), "\(again.output)")
            let userKeys = directory.appendingPathComponent("user.json").path
            let user = try ctl([
                "identities", "create", "cli-user", "--keys-out", userKeys, "--claim", #"{"jobTitle":"Clerk"}"#,
            ])
            #expect(user.status == 0, "\(user.output)")
            let userDID = user.output.trimmingCharacters(in: .whitespacesAndNewlines)

            let listed = try ctl(["identities", "list", "--as", userKeys, "--username", "cli-"])
            #expect(
                listed.status == 0 && listed.output.contains("cli-admin\tAdmin") && listed.output.contains(userDID),
                "\(listed.output)")

            let issued = try ctl([
                "credentials", "issue", "--as", adminKeys, "--subject", userDID, "--type", "BasicIdentityCredential",
                "--claim", #"{"type":"Person","jobTitle":"Clerk"}"#,
            ])
            #expect(issued.status == 0, "\(issued.output)")
            let credentialFile = directory.appendingPathComponent("credential.json")
            try issued.output.write(to: credentialFile, atomically: true, encoding: .utf8)
            let checked = try ctl(["credentials", "check", credentialFile.path])
            #expect(checked.status == 0 && checked.output.contains("VERIFIED"), "\(checked.output)")
            let checkedJSON = try ctl(["credentials", "check", credentialFile.path, "-o", "json"])
            #expect(
                (try JSONSerialization.jsonObject(with: Data(checkedJSON.output.utf8)) as? [String: Any])?["verified"]
                    as? Bool == true, "\(checkedJSON.output)")
            let byUser = try ctl([
                "credentials", "issue", "--as", userKeys, "--subject", userDID, "--type", "X", "--claim",
                #"{"type":"Person"}"#,
            ])
            #expect(byUser.status != 0 && byUser.output.contains("not allowed"), "\(byUser.output)")

            let credential = try #require(
                try JSONSerialization.jsonObject(with: Data(issued.output.utf8)) as? [String: Any])
            let proof = try #require((credential["proof"] as? [String: Any])?["proofValue"] as? String)
            let revoked = try ctl(["credentials", "revoke", "--as", adminKeys, proof])
            #expect(revoked.status == 0, "\(revoked.output)")
            let after = try ctl(["credentials", "check", credentialFile.path])
            #expect(after.status == 2 && after.output.contains("revoked"), "\(after.output)")
            let afterJSON = try ctl(["credentials", "check", credentialFile.path, "--json"])
            let verdict = try JSONSerialization.jsonObject(with: Data(afterJSON.output.utf8)) as? [String: Any]
            #expect(
                afterJSON.status == 2 && verdict?["verified"] as? Bool == false
                    && (verdict?["error"] as? String)?.contains("revoked") == true, "\(afterJSON.output)")
        }
    }
}
