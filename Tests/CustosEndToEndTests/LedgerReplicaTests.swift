import AsyncHTTPClient
import CustosAuth
import CustosClients
import CustosCore
import CustosCrypto
import CustosLedger
import CustosServer
import CustosStore
import CustosStoreTesting
import Foundation
import PostgresNIO
import Testing

/// Two real `custos worker ledger` processes on one database, as two replicas on Kubernetes would run: every
/// request goes to either of them, and the one that does not sequence its tenant forwards it.
@Suite("Ledger worker replicas")
struct LedgerReplicaTests {
    @Test(
        "two ledger workers on one database: each tenant sequenced by one, kill -9 hands its tenants to the other, no acknowledged entry lost"
    )
    func killHandsTenantsOver() async throws {
        try await withTemporaryCluster { _, database in
            let token = ServiceToken.generate()
            let environment = [
                "CUSTOS_DATABASE_URL": database.url, ServiceToken.environmentKey: token.secret,
                MasterKey.environmentKey: MasterKey(key: SymmetricKey()).encoded,
            ]
            let workers = [
                try await LedgerWorkerProcess.start(environment: environment),
                try await LedgerWorkerProcess.start(environment: environment),
            ]
            defer { for worker in workers { worker.process.terminate() } }
            // A client that gives up on a refused connection at once, rather than retrying it until its deadline:
            // half the writes go to the killed worker.
            let http = Self.client
            let clients = workers.map { LedgerClient(baseURL: $0.url, serviceToken: token.secret, http: http) }
            let tenants = (0..<8).map { TenantID("replica-\($0)")! }
            var keys: [TenantID: NoteVerifierKey] = [:]
            for (index, tenant) in tenants.enumerated() {
                let network = try await clients[index % 2].createNetwork(tenant: tenant, name: "replica\(index)")
                keys[tenant] = try NoteVerifierKey(parsing: network.coordinatorKey)
            }

            // Both workers name the same sequencer for every tenant.
            var sequencers: [TenantID: String] = [:]
            for tenant in tenants {
                let named = try await workers.asyncMap { try await $0.sequencer(of: tenant, token: token) }
                #expect(named[0] == named[1], "\(tenant): \(named)")
                sequencers[tenant] = named[0]
            }
            let victim = try #require(workers.first { $0.url == sequencers[tenants[0]] })
            let survivor = try #require(workers.first { $0 !== victim })

            // Every tenant written through both workers at once; then the sequencer of the first tenant is killed.
            let writing = WritingFlag()
            let writers = tenants.enumerated().map { index, tenant in
                Task { () -> (tenant: TenantID, acknowledged: [Digest32], afterKill: Int) in
                    var acknowledged: [Digest32] = []
                    var afterKill = 0
                    var round = 0
                    while writing.isOn {
                        round += 1
                        let entries = (0...(round % 3)).map {
                            try! LedgerEntry(
                                payload: try! TaggedData(
                                    tag: Array("w\(index)".utf8), data: Array("entry \(round).\($0)".utf8)),
                                contentType: "text/plain")
                        }
                        let killed = victim.killed.isOn
                        // Half the requests reach the worker that does not sequence the tenant.
                        let ids: [Digest32]
                        do { ids = try await clients[round % 2].submit(tenant: tenant, entries: entries) } catch {
                            try? await Task.sleep(for: .milliseconds(20))
                            continue
                        }
                        acknowledged += ids
                        if killed { afterKill += ids.count }
                    }
                    return (tenant, acknowledged, afterKill)
                }
            }
            try await Task.sleep(for: .milliseconds(1500))
            let before = try await clients[0].checkpoint(tenant: tenants[0])
            victim.kill()
            try await Task.sleep(for: .seconds(3))
            writing.stop()
            var results: [(tenant: TenantID, acknowledged: [Digest32], afterKill: Int)] = []
            for writer in writers { results.append(await writer.value) }

            let survivorClient = LedgerClient(baseURL: survivor.url, serviceToken: token.secret, http: http)
            for (tenant, acknowledged, afterKill) in results {
                #expect(!acknowledged.isEmpty, "\(tenant) had entries acknowledged")
                #expect(afterKill > 0, "\(tenant) kept being written after the kill, through the survivor")
                #expect(try await survivor.sequencer(of: tenant, token: token) == survivor.url, "\(tenant)")
                // Every acknowledged entry is in the ledger, and confirmed under a checkpoint that verifies.
                try await Self.waitUntilConfirmed(acknowledged.last!, of: tenant, client: survivorClient)
                for id in acknowledged {
                    let bytes = try await survivorClient.receipt(tenant: tenant, id: id)
                    let receipt = try Receipt(jsonText: String(decoding: bytes, as: UTF8.self))
                    #expect(receipt.messageID == id)
                    _ = try ReceiptVerifier.verify(receipt, trustedKey: keys[tenant])
                }
            }

            // The first tenant's log grew from what its killed sequencer had signed: same history, appended to.
            let key = try #require(keys[tenants[0]])
            let older = try Checkpoint.verified(note: String(decoding: before, as: UTF8.self), keys: [key])
            let newest = try await survivorClient.checkpoint(tenant: tenants[0])
            let newer = try Checkpoint.verified(note: String(decoding: newest, as: UTF8.self), keys: [key])
            #expect(newer.size > older.size)
            let proof = try await survivorClient.consistency(tenant: tenants[0], from: older.size, to: newer.size)
            _ = try ConsistencyCheck.verify(
                pinned: older, newer: newer, proof: try proof.proof.map { try Digest32(bytes: try Base64.decode($0)) })

            // Each tenant was claimed once by its first sequencer and, for the killed one's tenants, once more by
            // the survivor: the requests the other worker received never made it a second writer.
            let epochs = try await withClient(database) { client in
                var epochs: [String: Int64] = [:]
                let rows = try await client.query(
                    "SELECT tenant_id, sequencer_epoch FROM ledger.networks", logger: .init(label: "test"))
                for try await (tenant, epoch) in rows.decode((String, Int64).self) { epochs[tenant] = epoch }
                return epochs
            }
            for tenant in tenants {
                let expected: Int64 = sequencers[tenant] == victim.url ? 2 : 1
                #expect(epochs[tenant.rawValue] == expected, "\(tenant) epoch \(epochs[tenant.rawValue] ?? -1)")
            }
        }
    }

    /// Lives as long as the test process, as `HTTPClient.shared` does.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// Waits until a milestone confirmed `id` (its receipt exists).
    static func waitUntilConfirmed(_ id: Digest32, of tenant: TenantID, client: LedgerClient) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if (try? await client.receipt(tenant: tenant, id: id)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw E2EError("\(tenant): \(id) was not confirmed within 15 s")
    }
}

/// One `custos worker ledger` process started from the built binary.
final class LedgerWorkerProcess: Sendable {
    let process: Process
    let url: String
    let killed = WritingFlag(on: false)

    private init(process: Process, url: String) {
        self.process = process
        self.url = url
    }

    /// Starts a worker on a free port with `environment` (database URL, service token, master key) and waits until
    /// it is ready.
    static func start(environment: [String: String]) async throws -> LedgerWorkerProcess {
        let port = try FreePort.find()
        let url = "http://127.0.0.1:\(port)"
        let process = Process()
        process.executableURL = PlatformProcess.binDirectory.appendingPathComponent("custos")
        process.arguments = [
            "worker", "ledger", "--port", String(port), "--advertise-url", url, "--origin-prefix",
            "replicas.custos.test", "--milestone-interval-ms", "100", "--log-level", "info",
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        try process.run()
        let worker = LedgerWorkerProcess(process: process, url: url)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let ready = try? await HTTP.request("GET", url + "/health/ready"), ready.status == 200 { return worker }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        throw E2EError("the ledger worker on port \(port) did not become ready")
    }

    /// Which worker sequences `tenant`, as this one answers.
    func sequencer(of tenant: TenantID, token: ServiceToken) async throws -> String? {
        let response = try await HTTP.request(
            "GET", url + "/internal/v1/tenants/\(tenant.rawValue)/ledger",
            headers: [("Authorization", "Bearer \(token.secret)")])
        guard response.status == 200 else { throw E2EError("\(tenant): \(response.status) \(response.text)") }
        return response.headers.first(name: "Custos-Sequencer")
    }

    /// SIGKILL: the process gets no chance to release anything; its database sessions end with it.
    func kill() {
        killed.set(true)
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
