import CustosAuth
import CustosControl
import Foundation
import Testing

extension Platforms.Shared {
    /// Every route of every process, requested as an attacker would: without a credential, with a wrong one,
    /// with another tenant's or another role's, and under path spellings that a prefix check would miss.
    @Suite("Route attack")
    struct RouteAttackTests {
        /// A credential case: a name for messages, and the headers it sends.
        struct Credential {
            let name: String
            let headers: [(String, String)]
        }

        @Test("no route answers 2xx or 5xx without its credential, under any path spelling")
        func everyRouteOfEveryProcess() async throws {
            let platform = try SharedPlatform.platform()
            let acme = try await TenantFixture.create(TenantFixture.uniqueID("acme"), on: platform)
            let globex = try await TenantFixture.create(TenantFixture.uniqueID("globex"), on: platform)
            let admin = platform.adminToken
            let service = platform.serviceToken
            #expect(service.count >= 32)
            let bearer = { (secret: String) in Credential(name: "", headers: [("Authorization", "Bearer \(secret)")]) }
            let none = Credential(name: "no credential", headers: [])
            let wrongKey = SecretToken.generate(.apiKey).secret
            let wrongAdmin = SecretToken.generate(.adminToken).secret
            let wrongService = "svc_" + String(repeating: "A", count: 43)

            func named(_ name: String, _ credential: Credential) -> Credential {
                Credential(name: name, headers: credential.headers)
            }
            let gatewayPort = try #require(URLComponents(string: acme.gatewayURL)?.port)
            // A pooled gateway serves acme at its host name; every request names it, as acme's clients do.
            let gatewayHost = try #require(URLComponents(string: acme.gatewayURL)?.host)
            let controlPort = try #require(URLComponents(string: platform.controlURL)?.port)
            let ledgerPort = try #require(platform.childPort(matching: "worker ledger"))
            let streamsPort = try #require(platform.childPort(matching: "worker streams"))
            let ssiPort = try #require(platform.childPort(matching: "worker ssi"))

            let gatewayAttacks = [
                none, Credential(name: "unknown API key", headers: [("X-API-Key", wrongKey)]),
                Credential(name: "another tenant's key", headers: [("X-API-Key", globex.apiKey)]),
                named("administrator token", bearer(admin)), named("service token", bearer(service)),
            ]
            // Identity routes also take a JWT beside the key: one of another tenant, or a key-shaped one, fails.
            let acmeJWT = try await Self.identityToken(acme)
            let globexJWT = try await Self.identityToken(globex)
            let identityAttacks =
                gatewayAttacks + [
                    Credential(
                        name: "own key with another tenant's JWT",
                        headers: [("X-API-Key", acme.apiKey), ("Authorization", "Bearer \(globexJWT)")]),
                    Credential(
                        name: "another tenant's key with own JWT",
                        headers: [("X-API-Key", globex.apiKey), ("Authorization", "Bearer \(acmeJWT)")]),
                    Credential(
                        name: "own key with a forged JWT",
                        headers: [("X-API-Key", acme.apiKey), ("Authorization", "Bearer \(acmeJWT.dropLast(4))AAAA")]),
                ]
            let adminAttacks = [
                none, named("unknown administrator token", bearer(wrongAdmin)),
                named("a tenant's API key", bearer(acme.apiKey)), named("service token", bearer(service)),
            ]
            let internalAttacks = [
                none, named("wrong service token", bearer(wrongService)), named("administrator token", bearer(admin)),
                named("a tenant's API key", bearer(acme.apiKey)),
                Credential(name: "API key header", headers: [("X-API-Key", acme.apiKey)]),
            ]

            var checked = 0
            var failures: [String] = []
            func attack(
                _ process: String, port: Int, host: [(String, String)] = [], routes: [RouteInventory.Route],
                attacks: (RouteInventory.Route) -> [Credential], valid: (RouteInventory.Route) -> Credential?
            ) async throws {
                let protected = routes.filter { !$0.isPublic }
                for route in protected {
                    let path = Self.concrete(route.path, tenant: acme.id)
                    for credential in attacks(route) {
                        for variant in Self.variants(of: path) {
                            let response = try await Self.send(
                                route.method, variant, credential.headers + host, port: port)
                            checked += 1
                            if (200..<300).contains(response.status) || response.status >= 500 {
                                failures.append(
                                    "\(process) \(route.method) \(variant) with \(credential.name): \(response.status) "
                                        + response.text.prefix(120))
                            }
                        }
                    }
                    // The route is real: with its own credential the canonical spelling gets past authentication.
                    if route.method == "GET", let credential = valid(route) {
                        let response = try await Self.send(route.method, path, credential.headers + host, port: port)
                        if response.status == 401 || response.errorMessage?.hasPrefix("no such route") == true {
                            failures.append(
                                "\(process) GET \(path) with its credential: \(response.status) \(response.text)")
                        }
                    }
                }
            }

            let gateway = RouteInventory.gateway
            #expect(gateway.filter { !$0.isPublic }.count >= 10, "\(gateway)")
            let ownKey = Credential(name: "own key", headers: [("X-API-Key", acme.apiKey)])
            let ownIdentity = Credential(
                name: "own key and JWT", headers: ownKey.headers + [("Authorization", "Bearer \(acmeJWT)")])
            try await attack(
                "gateway", port: gatewayPort, host: [("Host", "\(gatewayHost):\(gatewayPort)")], routes: gateway,
                attacks: { Self.takesJWT($0) ? identityAttacks : gatewayAttacks },
                valid: { Self.takesJWT($0) ? ownIdentity : ownKey })
            let control = RouteInventory.control
            #expect(
                control.contains { $0.path.hasPrefix("/admin/") }
                    && control.contains { $0.path.hasPrefix("/internal/") })
            try await attack(
                "control", port: controlPort, routes: control,
                attacks: { $0.path.hasPrefix("/internal/") ? internalAttacks : adminAttacks },
                valid: { $0.path.hasPrefix("/internal/") ? bearer(service) : bearer(admin) })
            let ledger = RouteInventory.ledgerWorker
            #expect(ledger.filter { !$0.isPublic }.count >= 10, "\(ledger)")
            try await attack(
                "ledger worker", port: ledgerPort, routes: ledger, attacks: { _ in internalAttacks },
                valid: { _ in bearer(service) })
            let ssi = RouteInventory.ssiWorker
            #expect(ssi.filter { !$0.isPublic }.count >= 20, "\(ssi)")
            try await attack(
                "ssi worker", port: ssiPort, routes: ssi, attacks: { _ in internalAttacks },
                valid: { _ in bearer(service) })
            let streams = RouteInventory.streamsWorker
            #expect(streams.filter { !$0.isPublic }.count >= 22, "\(streams)")
            try await attack(
                "streams worker", port: streamsPort, routes: streams, attacks: { _ in internalAttacks },
                valid: { _ in bearer(service) })
            #expect(failures.isEmpty, "\(failures.count) of \(checked) requests: \(failures.prefix(20))")
            #expect(checked > 500)
        }

        /// The SSI Bridge and Audit Trail routes take an identity's JWT beside the key.
        static func takesJWT(_ route: RouteInventory.Route) -> Bool {
            route.path.hasPrefix("/api/v0.2/") || route.path.hasPrefix("/api/v0.1/")
        }

        /// A JWT of a fresh identity of `tenant`, obtained as an Integration Services client does.
        static func identityToken(_ tenant: TenantFixture) async throws -> String {
            var sdk = IdentityBridgeFlowTests.SDK(tenant: tenant)
            let identity = try await sdk.create("attacker-\(UUID().uuidString.prefix(8))")
            try await sdk.authenticate(identity.did, seed: identity.seed)
            return try #require(sdk.jwt)
        }

        /// Route parameters filled with well-formed values of the fixture tenant.
        static func concrete(_ path: String, tenant: String) -> String {
            path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
                switch segment {
                case ":tenant": tenant
                case ":id": String(repeating: "0", count: 64)
                case ":key": "key_0000000000000000"
                case "**": "tile/0/000"
                default: segment.hasPrefix(":") ? "x" : String(segment)
                }
            }.joined(separator: "/")
        }

        /// The canonical path and the spellings a raw-prefix check would misread.
        static func variants(of path: String) -> [String] {
            let afterFirst = path.dropFirst().firstIndex(of: "/") ?? path.endIndex
            let head = path[..<afterFirst]
            let tail = path[afterFirst...]
            var result = [
                path, "/" + path, "/./" + path.dropFirst(), "/x/.." + path, "/%2e" + path, path + "/",
                path.uppercased(),
            ]
            if !tail.isEmpty {
                result += [head + "/" + tail, head + "%2F" + tail.dropFirst(), head + "%2f" + tail.dropFirst()]
            }
            return result
        }

        static func send(_ method: String, _ target: String, _ headers: [(String, String)], port: Int) async throws
            -> RawHTTP.Response
        {
            let hasBody = method != "GET" && method != "HEAD"
            let request = RawHTTP.request(
                method, target, headers: headers + (hasBody ? [("Content-Type", "application/json")] : []),
                body: hasBody ? #"{"name":"x"}"# : nil)
            return try await RawHTTP.exchange(port: port, request)
        }
    }
}
