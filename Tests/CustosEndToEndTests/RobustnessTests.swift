import Foundation
import Testing

extension Platforms {
    /// What the platform does with clients that misbehave: broken framing, slow or silent connections, too many
    /// connections, wrong media types, bodies with extra members, numbers a double cannot hold; and what each
    /// process is given.
    @Suite("Robustness")
    struct RobustnessTests {
        /// Short limits so the timeouts can be watched within a test.
        static let limits = [
            "--header-timeout", "2", "--body-timeout", "3", "--idle-timeout", "3", "--max-connections", "24",
        ]

        @Test("framing errors, slow clients, the connection cap, media types, strict bodies and exact numbers")
        func misbehavingClients() async throws {
            let platform = try await PlatformProcess.start(arguments: Self.limits)
            defer { platform.process.terminate() }
            let acme = try await TenantFixture.create("acme", on: platform)
            let gateway = try #require(URLComponents(string: acme.gatewayURL)?.port)
            let control = try #require(URLComponents(string: platform.controlURL)?.port)
            let key = ("X-API-Key", acme.apiKey)
            let admin = ("Authorization", "Bearer \(platform.adminToken)")
            let errorsBefore = Self.errorLines(platform.log)

            // Broken framing is the client's fault: a JSON 400, on the gateway and the control plane.
            for (port, path, credential) in [
                (gateway, "/api/v1/ledger/messages", key), (control, "/admin/v1/tenants", admin),
            ] {
                let prefix =
                    "POST \(path) HTTP/1.1\r\nHost: x\r\n\(credential.0): \(credential.1)\r\n"
                    + "Content-Type: application/json\r\n"
                for (name, request) in [
                    ("bad chunk size", prefix + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n"),
                    ("Transfer-Encoding: gzip", prefix + "Transfer-Encoding: gzip\r\n\r\n{}"),
                    ("bad header line", "GET /health/live HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"),
                    ("bad request line", "GET\r\n\r\n"),
                ] {
                    let response = try await RawHTTP.exchange(port: port, request)
                    #expect(response.status == 400, "\(name) on \(port): \(response.status) \(response.text)")
                    #expect(response.isJSON, "\(name): \(response.headers) \(response.text)")
                    #expect(response.errorMessage?.contains("malformed") == true, "\(name): \(response.text)")
                }
            }

            // A declared body beyond the process limit is refused before it is read; 100-continue is answered.
            let huge = try await RawHTTP.exchange(
                port: gateway,
                "POST /api/v1/ledger/messages HTTP/1.1\r\nHost: x\r\nX-API-Key: \(acme.apiKey)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: \(1 << 62)\r\n\r\n", timeout: .seconds(3))
            #expect(huge.status == 413 && huge.isJSON, "\(huge.status) \(huge.text)")
            let entry = #"{"tag":"continue","data":{"n":1}}"#
            let continued = try await Task.detached { () -> (sawContinue: Bool, response: RawHTTP.Response?) in
                let connection = try RawHTTP.Connection(port: gateway, receiveTimeout: .seconds(3))
                connection.send(
                    "POST /api/v1/ledger/messages HTTP/1.1\r\nHost: x\r\nX-API-Key: \(acme.apiKey)\r\n"
                        + "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                        + "Content-Length: \(entry.utf8.count)\r\nConnection: close\r\n\r\n")
                let interim = connection.receive { String(decoding: $0, as: UTF8.self).contains("\r\n\r\n") }
                let sawContinue = String(decoding: interim.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 100")
                connection.send(entry)
                return (sawContinue, connection.receiveResponse())
            }.value
            #expect(continued.sawContinue)
            #expect(continued.response?.status == 201, "\(continued.response?.text ?? "no answer")")

            // Slow and silent clients are cut off by the header, body and idle timeouts (2 s, 3 s, 3 s here).
            async let halfHeader = Self.timed(port: gateway, "GET /health/live HTTP/1.1\r\nHost: x\r\n")
            async let partialBody = Self.timed(
                port: gateway,
                "POST /api/v1/ledger/messages HTTP/1.1\r\nHost: x\r\nX-API-Key: \(acme.apiKey)\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"tag\":")
            async let idle = Self.timed(port: gateway, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            let (header, body, kept) = try await (halfHeader, partialBody, idle)
            #expect(header.closed && header.elapsed < .seconds(6), "half-sent header held \(header.elapsed)")
            #expect(header.text.hasPrefix("HTTP/1.1 408") && header.text.contains("headers"), "\(header.text)")
            #expect(body.closed && body.elapsed < .seconds(7), "partial body held \(body.elapsed)")
            #expect(body.text.hasPrefix("HTTP/1.1 408") && body.text.contains("body"), "\(body.text)")
            #expect(kept.closed && kept.elapsed >= .seconds(2) && kept.elapsed < .seconds(7), "idle \(kept.elapsed)")
            #expect(kept.text.hasPrefix("HTTP/1.1 200"))

            // The connection cap: with 24 silent connections open, the next client waits until timeouts free one.
            let silent = try (0..<24).map { _ in try RawHTTP.Connection(port: gateway) }
            try await Task.sleep(for: .milliseconds(300))
            let start = ContinuousClock.now
            let queued = try await RawHTTP.exchange(port: gateway, RawHTTP.request("GET", "/health/live"))
            let waited = ContinuousClock.now - start
            #expect(queued.status == 200)
            #expect(waited > .milliseconds(1000) && waited < .seconds(8), "the 25th connection waited \(waited)")
            withExtendedLifetime(silent) {}

            // JSON routes refuse other media types with 415, and change nothing.
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                let response = try await HTTP.request(
                    "POST", acme.gatewayURL + "/api/v1/ledger/messages", headers: [key, ("Content-Type", type)],
                    body: Array(#"{"tag":"mime","data":1}"#.utf8))
                #expect(response.status == 415, "\(type): \(response.status) \(response.text)")
                let admin = try await HTTP.request(
                    "POST", platform.controlURL + "/admin/v1/tenants", headers: [admin, ("Content-Type", type)],
                    body: Array(#"{"id":"mime"}"#.utf8))
                #expect(admin.status == 415, "\(type): \(admin.status) \(admin.text)")
            }
            let mime = try await HTTP.request(
                "GET", acme.gatewayURL + "/api/v1/ledger/messages?tag=mime", headers: [key])
            #expect((mime.object["messages"] as? [Any])?.isEmpty == true)

            // Admin bodies are strict: unknown members and nulls are refused, and nothing is created.
            for (path, body, fragment) in [
                ("/admin/v1/tenants", #"{"id":"sneaky","isAdmin":true}"#, "isAdmin"),
                ("/admin/v1/tenants", #"{"id":"sneaky","name":null}"#, "null"),
                ("/admin/v1/tenants/acme/keys", #"{"name":"k","scope":"admin"}"#, "scope"),
                ("/admin/v1/tenants/acme/keys", #"{"name":null}"#, "null"),
            ] {
                let response = try await HTTP.request(
                    "POST", platform.controlURL + path, headers: [admin], body: Array(body.utf8))
                #expect(response.status == 400, "\(body): \(response.status) \(response.text)")
                #expect((response.object["error"] as? String)?.contains(fragment) == true, "\(response.text)")
            }
            let sneaky = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/tenants/sneaky", headers: [admin])
            #expect(sneaky.status == 404)
            let keys = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/tenants/acme/keys", headers: [admin])
            #expect((keys.object["keys"] as? [Any])?.count == 1, "\(keys.text)")

            // Numbers a double cannot hold are refused (send them as strings); exact ones are kept as sent.
            for number in ["9007199254740993", "123456789012345678", "1e-400"] {
                let response = try await HTTP.request(
                    "POST", acme.gatewayURL + "/api/v1/ledger/messages", headers: [key],
                    body: Array(#"{"tag":"n","data":\#(number)}"#.utf8))
                #expect(response.status == 400, "\(number): \(response.text)")
                #expect((response.object["error"] as? String)?.contains("as a string") == true, "\(response.text)")
            }
            let exact = try await HTTP.request(
                "POST", acme.gatewayURL + "/api/v1/ledger/messages", headers: [key],
                body: Array(#"{"tag":"n","data":[0.1,9007199254740992,"9007199254740993"]}"#.utf8))
            #expect(exact.status == 201, "\(exact.text)")
            let exactID = try #require(exact.object["messageId"] as? String)
            let stored = try await acme.get(exactID)
            #expect(stored.text.contains(#"[0.1,9007199254740992,"9007199254740993"]"#), "\(stored.text)")

            // A client that goes away mid-body is not an error of ours.
            try await Task.detached {
                let connection = try RawHTTP.Connection(port: gateway)
                connection.send(
                    "POST /api/v1/ledger/messages HTTP/1.1\r\nHost: x\r\nX-API-Key: \(acme.apiKey)\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"tag\"")
            }.value
            try await Task.sleep(for: .milliseconds(500))

            // Metrics count the statuses clients received.
            let metrics = try await HTTP.request("GET", acme.gatewayURL + "/metrics")
            #expect(metrics.text.contains(#"http_response_status_code="415""#))
            #expect(metrics.text.contains(#"http_response_status_code="400""#))
            #expect(!metrics.text.contains(#"http_response_status_code="500""#))

            let newErrors = Self.errorLines(platform.log).subtracting(errorsBefore)
            #expect(newErrors.isEmpty, "error-level log lines caused by clients: \(newErrors.prefix(5))")
            _ = try await platform.stop()
        }

        @Test("entry bundles, milestones, secrets per process, and a clear refusal past the tenant capacity")
        func ledgerSurfaceAndSecrets() async throws {
            let platform = try await PlatformProcess.start(arguments: ["--max-tenants", "1"])
            defer { platform.process.terminate() }
            let acme = try await TenantFixture.create("acme", on: platform)

            // Past the capacity, provisioning is refused with the reason; the platform keeps working.
            let admin = ("Authorization", "Bearer \(platform.adminToken)")
            let refused = try await HTTP.request(
                "POST", platform.controlURL + "/admin/v1/tenants", headers: [admin], body: HTTP.json(["id": "globex"]))
            #expect(refused.status == 503, "\(refused.text)")
            #expect((refused.object["error"] as? String)?.contains("capacity") == true, "\(refused.text)")
            let ready = try await HTTP.request("GET", platform.controlURL + "/health/ready")
            #expect(ready.status == 200)
            let globex = try await HTTP.request(
                "GET", platform.controlURL + "/admin/v1/tenants/globex", headers: [admin])
            #expect(globex.status == 404)
            let key = ("X-API-Key", acme.apiKey)
            for index in 0..<3 { _ = try await acme.post(["tag": "bundle", "data": ["n": index]]) }
            var size = 0
            for _ in 0..<50 where size < 3 {
                let network = try await HTTP.request("GET", acme.gatewayURL + "/api/v1/ledger", headers: [key])
                size = network.object["checkpointSize"] as? Int ?? 0
                if size < 3 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(size >= 3)
            let bundle = try await HTTP.request(
                "GET", acme.gatewayURL + "/api/v1/ledger/tile/entries/000.p/\(size)", headers: [key])
            #expect(bundle.status == 200, "\(bundle.text)")
            #expect(bundle.body.count > size * 32)
            let hashes = try await HTTP.request(
                "GET", acme.gatewayURL + "/api/v1/ledger/tile/0/000.p/\(size)", headers: [key])
            #expect(hashes.status == 200 && hashes.body.count == size * 32)

            let latest = try await HTTP.request(
                "GET", acme.gatewayURL + "/api/v1/ledger/milestones/latest", headers: [key])
            let milestoneID = try #require(latest.object["messageId"] as? String, "\(latest.text)")
            let asEntry = try await acme.get(milestoneID)
            #expect(asEntry.status == 404, "\(asEntry.text)")
            #expect((asEntry.object["error"] as? String)?.contains("milestone") == true)

            let (masterKey, administrator) = ("CUSTOS_MASTER_KEY", "CUSTOS_ADMIN_TOKEN")
            let (database, token) = ("CUSTOS_DATABASE_URL", "CUSTOS_SERVICE_TOKEN")
            let auditKey = "CUSTOS_AUDIT_SIGNING_KEY"
            let gateway = platform.childEnvironmentNames(matching: "custos gateway ")
            #expect(
                gateway.contains(token) && gateway.contains(database) && !gateway.contains(masterKey)
                    && !gateway.contains(administrator) && !gateway.contains(auditKey), "\(gateway)")
            // The control plane registers the administrator token at start and alone signs audit records; it never
            // holds the master key.
            let control = platform.childEnvironmentNames(matching: "custos control ")
            #expect(
                control.contains(token) && control.contains(administrator) && control.contains(auditKey)
                    && !control.contains(masterKey), "\(control)")
            // The workers seal keys in custody: coordinator keys, identity keys, participant keys.
            for sealing in ["worker ledger", "worker ssi", "worker streams"] {
                let names = platform.childEnvironmentNames(matching: sealing)
                #expect(
                    names.contains(masterKey) && names.contains(database) && names.contains(token)
                        && !names.contains(administrator) && !names.contains(auditKey), "\(names)")
            }
            _ = try await platform.stop()
        }

        /// Sends `text` on a new connection and waits for the server to close it.
        static func timed(port: Int, _ text: String) async throws -> (closed: Bool, elapsed: Duration, text: String) {
            try await Task.detached {
                let connection = try RawHTTP.Connection(port: port, receiveTimeout: .seconds(15))
                let start = ContinuousClock.now
                connection.send(text)
                let (bytes, closed) = connection.receive()
                return (closed, ContinuousClock.now - start, String(decoding: bytes, as: UTF8.self))
            }.value
        }

        /// Error-level lines of the control plane and gateways (not of `custos up` or PostgreSQL).
        static func errorLines(_ log: String) -> Set<String> {
            Set(
                log.split(separator: "\n").filter {
                    $0.contains(" error custos gateway") || $0.contains(" error custos control")
                }.map(String.init))
        }
    }
}
