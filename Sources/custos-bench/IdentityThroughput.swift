import ArgumentParser
import AsyncHTTPClient
import CustosClients
import CustosCore
import CustosCrypto
import Foundation
import NIOCore
import NIOHTTP1

/// Credential issuance and verification at the ssi worker and through a tenant gateway, and JWT login latency.
struct IdentityThroughput: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ssi",
        abstract: """
            SSI Bridge: credential issuance and verification per second at the ssi worker and through the gateway \
            (concurrent clients for a fixed time), and the latency of a JWT login (nonce + proof).
            """)

    @Option(help: "The tenant gateway's base URL.")
    var gateway: String

    @Option(help: "The ssi worker's base URL.")
    var ssiURL: String

    @Option(help: "The tenant.")
    var tenant: String

    @Option(help: "Data directory of `custos up` (for the service token; or set CUSTOS_SERVICE_TOKEN).")
    var dataDir: String?

    @Option(help: "Seconds per timed run.")
    var seconds: Int = 10

    @Option(help: "Concurrent clients.")
    var concurrency: Int = 16

    @Option(help: "Logins timed one after another.")
    var logins: Int = 200

    @Option(
        help: """
            Also write the at-worker requests into this directory (issue.json and issue.path, check.json and \
            check.path, caller.txt) for a lighter load generator (scripts/bench/ssi-worker.lua, with wrk).
            """)
    var wrkRequests: String?

    func run() async throws {
        guard let tenantID = TenantID(tenant) else { throw ValidationError("invalid tenant \(tenant)") }
        guard let apiKey = ProcessInfo.processInfo.environment["CUSTOS_API_KEY"] else {
            throw ValidationError("set CUSTOS_API_KEY to an API key of the tenant")
        }
        let token = try LedgerTarget.serviceToken(dataDir: dataDir)
        let api = GatewayCalls(base: gateway + "/api/v0.2", apiKey: apiKey)
        let (did, seed) = try await api.createIdentity("bench-admin-\(UUID().uuidString.prefix(8))")
        _ = try await api.call(.PUT, "/identities/identity", ["id": .string(did), "role": "Admin"])
        var loginTimes: [Double] = []
        var jwt = ""
        for _ in 0..<logins {
            let start = ContinuousClock.now
            jwt = try await api.login(did, seed: seed)
            loginTimes.append((ContinuousClock.now - start).milliseconds)
        }
        loginTimes.sort()
        print(
            String(
                format: "ssi login (nonce + proof, one after another, %d): p50 %.2f ms, p99 %.2f ms", logins,
                percentile(loginTimes, 0.5), percentile(loginTimes, 0.99)))
        let authorized = GatewayCalls(base: api.base, apiKey: apiKey, jwt: jwt)
        let issue: JSONValue = [
            "subject": ["id": .string(did), "credentialType": "BenchCredential", "claim": ["type": "Service"]]
        ]
        let credential = try await authorized.call(.POST, "/verification/create-credential", issue)
        let worker = SSIClient(baseURL: ssiURL, serviceToken: token)
        let workerPath = "/internal/v1/tenants/\(tenantID.rawValue)/ssi/api/v0.2/verification/"
        if let wrkRequests {
            try Self.writeRequests(
                into: wrkRequests, caller: "identity \(did)",
                [
                    "issue": (workerPath + "create-credential", issue),
                    "check": (workerPath + "check-credential", credential),
                ])
        }
        func atWorker(_ operation: String, _ body: JSONValue) -> @Sendable () async throws -> Void {
            let bytes = try! JCS.canonicalBytes(body)
            return {
                let answer = try await worker.forward(
                    .init(
                        method: .POST, path: workerPath + operation, query: nil, caller: "identity \(did)",
                        body: ByteBuffer(bytes: bytes), contentType: "application/json"))
                guard answer.status == 200 else { throw ValidationError("worker answered \(answer.status)") }
            }
        }
        func atGateway(_ operation: String, _ body: JSONValue) -> @Sendable () async throws -> Void {
            { _ = try await authorized.call(.POST, "/verification/" + operation, body) }
        }
        let runs: [(String, @Sendable () async throws -> Void)] = [
            ("issuance at the ssi worker", atWorker("create-credential", issue)),
            ("verification at the ssi worker", atWorker("check-credential", credential)),
            ("issuance through the gateway", atGateway("create-credential", issue)),
            ("verification through the gateway", atGateway("check-credential", credential)),
        ]
        let cpu = ProcessCPU(patterns: ["custos gateway", "custos worker ssi", "postgres", "custos-bench"])
        for (name, operation) in runs {
            let before = cpu.sample()
            let (count, latencies) = try await Self.measure(
                seconds: seconds, concurrency: concurrency, operation: operation)
            print(
                String(
                    format: "ssi %@, %d clients, %d s: %.0f/s, p50 %.2f ms, p99 %.2f ms", name, concurrency, seconds,
                    Double(count) / Double(seconds), percentile(latencies, 0.5), percentile(latencies, 0.99)))
            print("  cpu: " + cpu.shares(from: before, to: cpu.sample(), seconds: Double(seconds)) + " of a core")
        }
    }

    /// At-worker requests as files, by name: `NAME.json` (the body as canonical JSON), `NAME.path`, and the
    /// relayed caller they share in `caller.txt`.
    static func writeRequests(
        into directory: String, caller: String, _ requests: [String: (path: String, body: JSONValue)]
    ) throws {
        let base = URL(fileURLWithPath: directory)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        try Data(caller.utf8).write(to: base.appendingPathComponent("caller.txt"))
        for (name, request) in requests {
            try Data(try JCS.canonicalBytes(request.body)).write(to: base.appendingPathComponent(name + ".json"))
            try Data(request.path.utf8).write(to: base.appendingPathComponent(name + ".path"))
        }
    }

    /// Runs `operation` from `concurrency` clients for `seconds`; the count and the sorted latencies (ms).
    static func measure(seconds: Int, concurrency: Int, operation: @escaping @Sendable () async throws -> Void)
        async throws -> (Int, [Double])
    {
        let end = ContinuousClock.now + .seconds(seconds)
        let all = try await withThrowingTaskGroup(of: [Double].self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var latencies: [Double] = []
                    while ContinuousClock.now < end {
                        let start = ContinuousClock.now
                        try await operation()
                        latencies.append((ContinuousClock.now - start).milliseconds)
                    }
                    return latencies
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        return (all.count, all.sorted())
    }
}

/// The SSI Bridge as an Integration Services client calls it: `?api-key=`, the JWT as a bearer token.
struct GatewayCalls: Sendable {
    let base: String
    let apiKey: String
    var jwt: String?

    func call(_ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil, query: String = "") async throws
        -> JSONValue
    {
        var request = HTTPClientRequest(url: base + path + "?api-key=" + apiKey + query)
        request.method = method
        if let jwt { request.headers.add(name: "Authorization", value: "Bearer \(jwt)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JCS.canonicalBytes(body)))
        }
        // As many connections as clients: the shared client's 8 per host would bound the load it generates.
        let response = try await HTTPClient.internalCalls.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 32 << 20)
        guard (200..<300).contains(response.status.code) else {
            throw ValidationError("\(method) \(path): \(response.status.code) \(String(buffer: bytes))")
        }
        return (try? JSONParser.parse(bytes.readableBytesView)) ?? .null
    }

    func createIdentity(_ username: String) async throws -> (String, [UInt8]) {
        let created = try await call(.POST, "/identities/create", ["username": .string(username)])
        guard let did = created["id"]?.stringValue, let seed = created["keys"]?["sign"]?["private"]?.stringValue
        else { throw ValidationError("unexpected answer to create: \(created)") }
        return (did, try Base58.decode(seed))
    }

    func login(_ did: String, seed: [UInt8]) async throws -> String {
        guard let nonce = try await call(.GET, "/authentication/prove-ownership/\(did)")["nonce"]?.stringValue else {
            throw ValidationError("no nonce")
        }
        let signature = try Ed25519.PrivateKey(seed: seed).signature(for: SHA256.hash(Array(nonce.utf8)))
        let proved = try await call(
            .POST, "/authentication/prove-ownership/\(did)", ["signedNonce": .string(Hex.encode(signature))])
        guard let jwt = proved["jwt"]?.stringValue else { throw ValidationError("no jwt") }
        return jwt
    }
}
