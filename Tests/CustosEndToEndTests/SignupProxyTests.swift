import Foundation
import Testing

extension Platforms {
    /// Signup behind a trusted reverse proxy: the client is what the proxy appended to `X-Forwarded-For`, never
    /// what a client wrote there itself (the platform trusts 127.0.0.1, where these requests come from).
    @Suite("Signup behind a trusted proxy")
    struct SignupProxyTests {
        @Test("each forwarded client has its own allowance; a client's own X-Forwarded-For entries change nothing")
        func perForwardedClient() async throws {
            let platform = try await PlatformProcess.start(arguments: [
                "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1", "--signups-per-address", "1",
            ])
            defer { platform.process.terminate() }
            func signup(_ organization: String, forwardedFor: String) async throws -> HTTP.Response {
                let response = try await HTTP.request(
                    "POST", platform.controlURL + "/v1/signup", headers: [("X-Forwarded-For", forwardedFor)],
                    body: HTTP.json(["organization": organization, "email": "ops@proxy.example"]))
                if let key = (response.object["apiKey"] as? [String: Any])?["secret"] as? String {
                    platform.note(secret: key)
                }
                return response
            }
            let first = try await signup("Client A", forwardedFor: "198.51.100.1")
            #expect(first.status == 201, "\(first.text)")
            let again = try await signup("Client A again", forwardedFor: "198.51.100.1")
            #expect(again.status == 429, "one signup per forwarded address: \(again.text)")
            // A client that claims another address in front of the one its proxy appended is still itself.
            let spoofed = try await signup("Client A spoofing", forwardedFor: "203.0.113.50, 198.51.100.1")
            #expect(spoofed.status == 429, "\(spoofed.text)")
            let other = try await signup("Client B", forwardedFor: "198.51.100.2")
            #expect(other.status == 201, "another forwarded client has its own allowance: \(other.text)")

            let operations = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/operations",
                headers: [("Authorization", "Bearer \(platform.adminToken)")])
            let actors = Set(
                ((operations.object["operations"] as? [[String: Any]]) ?? []).compactMap { $0["actor"] as? String })
            #expect(actors.isSuperset(of: ["signup 198.51.100.1", "signup 198.51.100.2"]), "\(actors)")
            #expect(try await platform.stop() == 0)
        }
    }
}
