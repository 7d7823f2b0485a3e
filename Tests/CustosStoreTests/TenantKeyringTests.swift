import CustosCore
import CustosCrypto
import CustosStoreTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import CustosStore

private let logger = Logger(label: "test")
private let acme = try! TenantID(validating: "acme")
private let globex = try! TenantID(validating: "globex")

/// A migrated keyring over a running client.
private func keyring(_ client: PostgresClient, master: MasterKey = MasterKey(key: SymmetricKey())) async throws
    -> TenantKeyring
{
    let keyring = TenantKeyring(
        client: client, masterKey: master, database: DatabaseDeadline(timeout: .seconds(3), logger: logger),
        logger: logger)
    try await keyring.migrate()
    return keyring
}

/// The reason of the `KeyringError` that `body` throws, or nil when it throws something else or nothing.
private func reason(_ body: () async throws -> some Any) async -> KeyringError.Reason? {
    do {
        _ = try await body()
        return nil
    } catch let error as KeyringError {
        return error.reason
    } catch {
        return nil
    }
}

private func execute(_ client: PostgresClient, _ query: PostgresQuery) async throws {
    for try await _ in try await client.query(query) {}
}

@Suite("Tenant keyring", .serialized)
struct TenantKeyringTests {
    @Test("round trip: seal and open under a tenant's component key; create again returns the same key")
    func roundTrip() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let master = MasterKey(key: SymmetricKey())
                let keys = try await keyring(client, master: master)
                let created = try await keys.create(tenant: acme, component: .ledger)
                #expect(created.generation == 1)
                let sealed = try created.seal([1, 2, 3], purpose: "coordinator-key", row: "0")
                #expect(sealed.count > 3 && !sealed.starts(with: [1, 2, 3]))
                #expect(try created.open(sealed, purpose: "coordinator-key", row: "0") == [1, 2, 3])
                #expect(
                    try await keys.open(sealed, tenant: acme, component: .ledger, purpose: "coordinator-key", row: "0")
                        == [1, 2, 3])

                let again = try await keys.create(tenant: acme, component: .ledger)
                #expect(again.generation == 1 && again.key.rawRepresentation == created.key.rawRepresentation)
                let viaKeyring = try await keys.seal(
                    [9], tenant: acme, component: .ledger, purpose: "coordinator-key", row: "1")
                #expect(try again.open(viaKeyring, purpose: "coordinator-key", row: "1") == [9])

                // Another process with the same master key reads the same key; the stored form is sealed.
                let other = try await keyring(client, master: master)
                #expect(
                    try await other.dataKey(tenant: acme, component: .ledger).key.rawRepresentation
                        == created.key.rawRepresentation)
                var stored: [UInt8] = []
                for try await sealedKey in try await client.query(
                    "SELECT sealed_key FROM keyring.data_keys WHERE tenant_id = 'acme'"
                ).decode(ByteBuffer.self) { stored = sealedKey.bytes }
                #expect(stored.count == 32 + 24 + 16, "nonce, sealed key and tag")
                #expect(!"\(created)".contains(Base64.encode(created.key.rawRepresentation)), "keys never print")

                #expect(await reason { try await keys.dataKey(tenant: globex, component: .ledger) } == .missing)
                #expect(KeyringComponent(rawValue: "streams") == .streams)
                for bad in ["", "Ledger", "1x", "a b", String(repeating: "a", count: 33)] {
                    #expect(KeyringComponent(rawValue: bad) == nil, "\(bad)")
                }
            }
        }
    }

    @Test("a secret does not open for another tenant, component, purpose or row, nor a key under another tenant")
    func bindings() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let keys = try await keyring(client)
                let acmeLedger = try await keys.create(tenant: acme, component: .ledger)
                _ = try await keys.create(tenant: acme, component: .streams)
                _ = try await keys.create(tenant: globex, component: .ledger)
                let sealed = try acmeLedger.seal([7, 7, 7], purpose: "coordinator-key", row: "0")

                let attempts: [(TenantID, KeyringComponent, String, String)] = [
                    (globex, .ledger, "coordinator-key", "0"),
                    (acme, .streams, "coordinator-key", "0"),
                    (acme, .ledger, "coordinator-key", "1"),
                    (acme, .ledger, "epoch-secret", "0"),
                ]
                for (tenant, component, purpose, row) in attempts {
                    #expect(
                        await reason {
                            try await keys.open(
                                sealed, tenant: tenant, component: component, purpose: purpose, row: row)
                        } == .secretDoesNotOpen, "\(tenant) \(component) \(purpose) \(row)")
                }

                // A sealed data key copied to another tenant's or component's row does not open there.
                try await execute(
                    client,
                    """
                    UPDATE keyring.data_keys SET sealed_key = (SELECT sealed_key FROM keyring.data_keys
                        WHERE tenant_id = 'acme' AND component = 'ledger')
                    WHERE (tenant_id = 'globex' AND component = 'ledger') OR (tenant_id = 'acme' AND component = 'streams')
                    """)
                #expect(
                    await reason { try await keys.dataKey(tenant: globex, component: .ledger) } == .masterKeyMismatch)
                #expect(
                    await reason { try await keys.dataKey(tenant: acme, component: .streams) } == .masterKeyMismatch)

                // Another master key opens nothing.
                let stranger = try await keyring(client)
                #expect(
                    await reason { try await stranger.dataKey(tenant: acme, component: .ledger) } == .masterKeyMismatch)
                #expect(
                    try await keys.dataKey(tenant: acme, component: .ledger).open(
                        sealed, purpose: "coordinator-key", row: "0") == [7, 7, 7])
            }
        }
    }

    @Test("tampered ciphertext and tampered sealed keys are rejected")
    func tampering() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let keys = try await keyring(client)
                let key = try await keys.create(tenant: acme, component: .ssi)
                let sealed = try key.seal(Array("identity seed".utf8), purpose: "identity-key", row: "did-1")
                for index in [0, 23, 24, sealed.count - 1] {
                    var tampered = sealed
                    tampered[index] ^= 0x01
                    #expect(throws: KeyringError.self, "byte \(index)") {
                        try key.open(tampered, purpose: "identity-key", row: "did-1")
                    }
                }
                #expect(throws: KeyringError.self) {
                    try key.open(Array(sealed.dropLast()), purpose: "identity-key", row: "did-1")
                }
                #expect(throws: KeyringError.self) { try key.open([], purpose: "identity-key", row: "did-1") }

                try await execute(
                    client,
                    "UPDATE keyring.data_keys SET sealed_key = set_byte(sealed_key, 29, get_byte(sealed_key, 29) # 1) WHERE tenant_id = 'acme'"
                )
                #expect(await reason { try await keys.dataKey(tenant: acme, component: .ssi) } == .masterKeyMismatch)
            }
        }
    }

    @Test("destroying a data key shreds its secrets; a re-created key is new and opens none of them")
    func shredding() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let keys = try await keyring(client)
                let first = try await keys.create(tenant: acme, component: .streams)
                let sealed = try first.seal([42], purpose: "epoch-secret", row: "channel-1/0")
                _ = try await keys.create(tenant: acme, component: .ledger)
                let globexKey = try await keys.create(tenant: globex, component: .streams)

                #expect(try await keys.destroy(tenant: acme, component: .streams))
                #expect(try await !keys.destroy(tenant: acme, component: .streams), "already destroyed")
                #expect(try await !keys.destroy(tenant: acme, component: .ssi), "never existed")
                let destroyed = await reason {
                    try await keys.open(
                        sealed, tenant: acme, component: .streams, purpose: "epoch-secret", row: "channel-1/0")
                }
                #expect(destroyed == .destroyed)
                do {
                    _ = try await keys.dataKey(tenant: acme, component: .streams)
                    Issue.record("a destroyed key opened")
                } catch let error as KeyringError {
                    #expect(error.kind == .notFound)
                    #expect(error.description.contains("destroyed") && error.description.contains("acme"))
                }
                #expect(
                    await reason { try await keys.seal([1], tenant: acme, component: .streams, purpose: "p", row: "r") }
                        == .destroyed, "nothing new is sealed under a destroyed key")

                // No copy of the key is left in the table.
                var remaining: [Bool] = []
                for try await isNull in try await client.query(
                    "SELECT sealed_key IS NULL FROM keyring.data_keys WHERE tenant_id = 'acme' AND component = 'streams'"
                ).decode(Bool.self) { remaining.append(isNull) }
                #expect(remaining == [true])

                // Other tenants and components are untouched.
                #expect(try await keys.dataKey(tenant: acme, component: .ledger).generation == 1)
                #expect(
                    try await keys.dataKey(tenant: globex, component: .streams).key.rawRepresentation
                        == globexKey.key.rawRepresentation)

                let second = try await keys.create(tenant: acme, component: .streams)
                #expect(second.generation == 2)
                #expect(second.key.rawRepresentation != first.key.rawRepresentation)
                #expect(throws: KeyringError.self) {
                    try second.open(sealed, purpose: "epoch-secret", row: "channel-1/0")
                }
                #expect(
                    await reason {
                        try await keys.open(
                            sealed, tenant: acme, component: .streams, purpose: "epoch-secret", row: "channel-1/0")
                    } == .secretDoesNotOpen)
                let fresh = try second.seal([43], purpose: "epoch-secret", row: "channel-1/0")
                #expect(
                    try await keys.open(
                        fresh, tenant: acme, component: .streams, purpose: "epoch-secret", row: "channel-1/0") == [43])

                // Deleting a tenant destroys all its keys.
                #expect(try await keys.destroyAll(tenant: acme) == [.ledger, .streams])
                #expect(try await keys.destroyAll(tenant: acme) == [])
                #expect(await reason { try await keys.dataKey(tenant: acme, component: .ledger) } == .destroyed)
                #expect(try await keys.dataKey(tenant: globex, component: .streams).generation == 1)
            }
        }
    }

    @Test("concurrent creates for one tenant and component yield one key, also right after a destroy")
    func concurrentCreate() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let keys = try await keyring(client)
                for round in 1...2 {
                    let created = try await withThrowingTaskGroup(of: TenantDataKey.self) { group in
                        for _ in 0..<16 { group.addTask { try await keys.create(tenant: acme, component: .ledger) } }
                        var all: [TenantDataKey] = []
                        for try await key in group { all.append(key) }
                        return all
                    }
                    #expect(Set(created.map { $0.key.rawRepresentation }).count == 1, "round \(round)")
                    #expect(created.allSatisfy { $0.generation == round })
                    let stored = try await keys.dataKey(tenant: acme, component: .ledger)
                    #expect(stored.key.rawRepresentation == created[0].key.rawRepresentation)
                    if round == 1 { try await keys.destroy(tenant: acme, component: .ledger) }
                }
                var count = 0
                for try await _ in try await client.query("SELECT 1 FROM keyring.data_keys") { count += 1 }
                #expect(count == 1)
            }
        }
    }

    @Test("while the database is down every keyring operation ends in time with the 503 error")
    func outage() async throws {
        try await withTemporaryCluster { cluster, configuration in
            try await withClient(configuration) { client in
                let keys = try await keyring(client)
                let key = try await keys.create(tenant: acme, component: .ledger)
                let sealed = try key.seal([5], purpose: "coordinator-key", row: "0")
                try await cluster.stop()
                let operations: [(String, @Sendable () async throws -> Void)] = [
                    ("create", { _ = try await keys.create(tenant: globex, component: .ledger) }),
                    ("dataKey", { _ = try await keys.dataKey(tenant: acme, component: .ledger) }),
                    (
                        "open",
                        {
                            _ = try await keys.open(
                                sealed, tenant: acme, component: .ledger, purpose: "coordinator-key", row: "0")
                        }
                    ),
                    ("destroy", { _ = try await keys.destroy(tenant: acme, component: .ledger) }),
                ]
                for (name, operation) in operations {
                    let started = ContinuousClock.now
                    await #expect(throws: StoreError.databaseUnavailable, "\(name)") { try await operation() }
                    #expect(ContinuousClock.now - started < .seconds(4), "\(name) took too long")
                }
                _ = try await cluster.start()
                var opened: [UInt8] = []
                let restarted = ContinuousClock.now
                while opened.isEmpty && ContinuousClock.now - restarted < .seconds(10) {
                    opened =
                        (try? await keys.open(
                            sealed, tenant: acme, component: .ledger, purpose: "coordinator-key", row: "0")) ?? []
                    if opened.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(opened == [5], "the key survived the outage, nothing was destroyed")
            }
        }
    }
}
