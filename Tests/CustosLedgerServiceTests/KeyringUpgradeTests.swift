import CustosCore
import CustosCrypto
import CustosLedger
import CustosStore
import CustosStoreTesting
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import CustosLedgerService

private let logger = Logger(label: "test")

/// A tenant as the ledger worker stored it before the keyring: its data key in `ledger.data_keys`.
private struct OldTenant {
    let tenant: TenantID
    let coordinators: [Ed25519.PrivateKey]

    /// Writes the rows exactly as `LedgerStore.createNetwork` and `addCoordinatorKey` did before the keyring.
    static func store(_ name: String, on client: PostgresClient, master: MasterKey) async throws -> OldTenant {
        let tenant = try TenantID(validating: name)
        let dataKey = SymmetricKey()
        let sealedDataKey = try SealedSecret.sealDataKey(dataKey, tenant: tenant, component: "ledger", master: master)
        let coordinators = [Ed25519.PrivateKey(), Ed25519.PrivateKey()]
        try await execute(
            client,
            """
            INSERT INTO ledger.networks (tenant_id, name, network_id, origin)
            VALUES (\(name), \(name), \(Int64(bitPattern: LedgerMessage.networkID(forName: name))), \("custos.test/\(name)"))
            """)
        try await execute(
            client,
            "INSERT INTO ledger.data_keys (tenant_id, sealed_key) VALUES (\(name), \(sealedDataKey.byteBuffer))")
        for (index, key) in coordinators.enumerated() {
            let sealedSeed = try SealedSecret.seal(
                key.seed, dataKey: dataKey,
                context: SealedSecret.context(purpose: "coordinator-key", tenant: tenant, row: String(index)))
            try await execute(
                client,
                """
                INSERT INTO ledger.coordinator_keys (tenant_id, key_index, public_key, sealed_seed)
                VALUES (\(name), \(index), \(key.publicKey.rawRepresentation.byteBuffer), \(sealedSeed.byteBuffer))
                """)
        }
        return OldTenant(tenant: tenant, coordinators: coordinators)
    }
}

@Suite("Ledger data keys in the tenant keyring", .serialized)
struct KeyringUpgradeTests {
    @Test("an upgrade moves the old data keys into the keyring: old coordinator keys open, sign, and shred")
    func upgradeFromOldLayout() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let master = MasterKey(key: SymmetricKey())
                // The database of a platform that ran the ledger schema v2 (data keys in ledger.data_keys).
                let old = MigrationSet(
                    component: "ledger", migrations: Array(LedgerMigrations.set.migrations.prefix(2)))
                try await Migrator.apply(old, on: client, logger: logger)
                let acme = try await OldTenant.store("acme", on: client, master: master)
                let globex = try await OldTenant.store("globex", on: client, master: master)

                let store = LedgerStore(client: client, masterKey: master, logger: logger)
                try await store.migrate()
                try await store.migrate()

                var oldTable = true
                for try await missing in try await client.query("SELECT to_regclass('ledger.data_keys') IS NULL")
                    .decode(Bool.self)
                { oldTable = !missing }
                #expect(!oldTable, "no copy of a data key is left outside the keyring")
                var moved: [String] = []
                for try await tenant in try await client.query(
                    "SELECT tenant_id FROM keyring.data_keys WHERE component = 'ledger' AND generation = 1 ORDER BY 1"
                ).decode(String.self) { moved.append(tenant) }
                #expect(moved == ["acme", "globex"])

                for tenant in [acme, globex] {
                    for (index, key) in tenant.coordinators.enumerated() {
                        let opened = try #require(try await store.coordinatorKey(tenant: tenant.tenant, index: index))
                        #expect(opened.privateKey.publicKey == key.publicKey, "\(tenant.tenant) key \(index)")
                    }
                }

                // The ledger loads with the old key and signs its first checkpoint with it.
                // Epoch 0: no worker claimed the tenant before the upgrade.
                let ledger = try await TenantLedger(
                    tenant: acme.tenant, epoch: 0, store: store, milestoneInterval: .milliseconds(20))
                let loop = Task { await ledger.run() }
                let ids = try await ledger.submit([
                    try LedgerEntry(
                        payload: try TaggedData(tag: Array("t".utf8), data: Array("after the upgrade".utf8)),
                        contentType: "text/plain")
                ])
                await ledger.finish()
                await loop.value
                let checkpoint = try #require(await ledger.checkpoint)
                let verifier = try NoteVerifierKey(name: "custos.test/acme", publicKey: acme.coordinators[0].publicKey)
                #expect(try Checkpoint.verified(note: checkpoint.checkpoint, keys: [verifier]).size == 1)
                await #expect(throws: SequencerRegistry.shuttingDown) { try await ledger.submit([]) }
                #expect(ids.count == 1)

                // New keys are sealed under the moved data key.
                let added = try await store.addCoordinatorKey(tenant: acme.tenant, index: 2, epoch: 0)
                #expect(
                    try await store.coordinatorKey(tenant: acme.tenant, index: 2)?.privateKey.publicKey
                        == added.privateKey.publicKey)

                // Destroying the moved key shreds the old coordinator keys; other tenants keep theirs.
                #expect(try await store.keyring.destroy(tenant: acme.tenant, component: .ledger))
                do {
                    _ = try await store.coordinatorKey(tenant: acme.tenant, index: 0)
                    Issue.record("a coordinator key opened after its data key was destroyed")
                } catch let error as KeyringError {
                    #expect(error.reason == .destroyed)
                }
                #expect(try await store.coordinatorKey(tenant: globex.tenant, index: 1) != nil)

                // The worker started with another master key refuses clearly instead of signing with garbage.
                let stranger = LedgerStore(client: client, masterKey: MasterKey(key: SymmetricKey()), logger: logger)
                do {
                    _ = try await stranger.coordinatorKey(tenant: globex.tenant, index: 0)
                    Issue.record("a coordinator key opened under another master key")
                } catch let error as KeyringError {
                    #expect(error.reason == .masterKeyMismatch)
                }
            }
        }
    }

    @Test("a new network's coordinator key is sealed under a keyring data key created with it")
    func newNetwork() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let master = MasterKey(key: SymmetricKey())
                let store = LedgerStore(client: client, masterKey: master, logger: logger)
                try await store.migrate()
                let tenant = try TenantID(validating: "acme")
                // Concurrent creation of one network: one network, one data key, one coordinator key.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<8 {
                        group.addTask {
                            _ = try await store.createNetwork(tenant: tenant, name: "acme", origin: "custos.test/acme")
                        }
                    }
                    try await group.waitForAll()
                }
                let key = try await store.keyring.dataKey(tenant: tenant, component: .ledger)
                #expect(key.generation == 1)
                let coordinator = try #require(try await store.coordinatorKey(tenant: tenant, index: 0))
                var sealed: [UInt8] = []
                for try await seed in try await client.query(
                    "SELECT sealed_seed FROM ledger.coordinator_keys WHERE tenant_id = 'acme' AND key_index = 0"
                ).decode(ByteBuffer.self) { sealed = seed.bytes }
                #expect(try key.open(sealed, purpose: "coordinator-key", row: "0") == coordinator.privateKey.seed)
                #expect(throws: KeyringError.self, "the seed is bound to its row") {
                    try key.open(sealed, purpose: "coordinator-key", row: "1")
                }
            }
        }
    }
}
