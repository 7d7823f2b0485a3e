import Foundation
import Testing

extension Platforms.Shared {
    /// `custosctl` against a running platform: data-dir discovery, login, tenants and key lifecycle.
    @Suite("Admin CLI")
    struct AdminCLITests {
        @Test("custosctl finds the platform, logs in, creates tenants and keys, and revoked keys stop working")
        func cli() async throws {
            let platform = try SharedPlatform.platform()
            let dataDir = ["--data-dir", platform.dataDirectory.path]
            let id = TenantFixture.uniqueID("cli-co")

            let created = try PlatformProcess.custosctl(["tenants", "create", id, "--name", "CLI Co"] + dataDir)
            #expect(created.status == 0, "\(created.output)")
            #expect(created.output.contains("Store the API key now"))
            let listed = try PlatformProcess.custosctl(["tenants", "list", "--json"] + dataDir)
            #expect(listed.output.contains("\"\(id)\"") && listed.output.contains("CLI Co"), "\(listed.output)")
            // Global options before the subcommand, as operators type them.
            let first = try PlatformProcess.custosctl(dataDir + ["-o", "yaml", "tenants", "show", id])
            #expect(first.status == 0 && first.output.contains("name: CLI Co"), "\(first.output)")
            let joined = try PlatformProcess.custosctl(["--data-dir=\(platform.dataDirectory.path)", "--json", "plans"])
            #expect(joined.status == 0 && joined.output.contains("\"plans\""), "\(joined.output)")
            let misplaced = try PlatformProcess.custosctl(dataDir + ["verify", "/dev/null"])
            #expect(misplaced.status != 0 && misplaced.output.contains("--data-dir"), "\(misplaced.output)")
            let duplicate = try PlatformProcess.custosctl(["tenants", "create", id] + dataDir)
            #expect(duplicate.status != 0 && duplicate.output.contains("already exists"), "\(duplicate.output)")

            // Login with the token from the environment; later commands need no --data-dir.
            let config = platform.baseDirectory.appendingPathComponent("config-\(id)").path
            let login = try PlatformProcess.custosctl(
                ["login", platform.controlURL],
                environment: ["CUSTOS_ADMIN_TOKEN": platform.adminToken, "XDG_CONFIG_HOME": config])
            #expect(login.status == 0, "\(login.output)")
            #expect(!login.output.contains(platform.adminToken))
            let saved = config + "/custos/credentials.json"
            let mode = try FileManager.default.attributesOfItem(atPath: saved)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let badLogin = try PlatformProcess.custosctl(
                ["login", platform.controlURL],
                environment: ["CUSTOS_ADMIN_TOKEN": "csa_nope", "XDG_CONFIG_HOME": config + "-bad"])
            #expect(badLogin.status != 0 && badLogin.output.contains("malformed"), "\(badLogin.output)")

            let key = try PlatformProcess.custosctl(
                ["keys", "create", id, "--name", "ci", "--json"], environment: ["XDG_CONFIG_HOME": config])
            #expect(key.status == 0, "\(key.output)")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(key.output.utf8)) as? [String: Any])
            let secret = try #require(body["secret"] as? String)
            platform.note(secret: secret)
            let keyID = try #require((body["key"] as? [String: Any])?["id"] as? String)
            let tenant = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(
                        try PlatformProcess.custosctl(["tenants", "show", id, "--json"] + dataDir).output.utf8))
                    as? [String: Any])
            let gateway = try #require(tenant["gatewayUrl"] as? String)
            let fixture = TenantFixture(id: id, gatewayURL: gateway, apiKey: secret)
            #expect(try await fixture.post(["tag": "t", "data": 1]).status == 201)

            let keys = try PlatformProcess.custosctl(
                ["keys", "list", id], environment: ["XDG_CONFIG_HOME": config])
            #expect(keys.output.contains(keyID) && !keys.output.contains(secret), "\(keys.output)")
            let revoke = try PlatformProcess.custosctl(
                ["keys", "revoke", id, keyID], environment: ["XDG_CONFIG_HOME": config])
            #expect(revoke.status == 0, "\(revoke.output)")
            var rejected = false
            let deadline = ContinuousClock.now + .seconds(8)
            while ContinuousClock.now < deadline {
                if try await fixture.post(["tag": "t", "data": 2]).status == 401 {
                    rejected = true
                    break
                }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(rejected, "a revoked key must stop working within the 5 s cache lifetime")
        }
    }
}
