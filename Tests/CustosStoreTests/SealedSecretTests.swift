import CustosCore
import CustosCrypto
import Testing

@testable import CustosStore

@Suite("Sealed secrets")
struct SealedSecretTests {
    @Test("secrets open only with the same master key, tenant, component and row")
    func binding() throws {
        let master = MasterKey(key: SymmetricKey())
        let acme = try TenantID(validating: "acme")
        let globex = try TenantID(validating: "globex")
        let dataKey = SymmetricKey()
        let sealedKey = try SealedSecret.sealDataKey(dataKey, tenant: acme, component: "ledger", master: master)
        let opened = try SealedSecret.openDataKey(sealedKey, tenant: acme, component: "ledger", master: master)
        #expect(opened.rawRepresentation == dataKey.rawRepresentation)
        #expect(throws: StoreError.self) {
            try SealedSecret.openDataKey(sealedKey, tenant: globex, component: "ledger", master: master)
        }
        #expect(throws: StoreError.self) {
            try SealedSecret.openDataKey(sealedKey, tenant: acme, component: "ssi", master: master)
        }
        #expect(throws: StoreError.self) {
            try SealedSecret.openDataKey(
                sealedKey, tenant: acme, component: "ledger", master: MasterKey(key: SymmetricKey()))
        }

        let row = SealedSecret.context(purpose: "coordinator", tenant: acme, row: "0")
        let sealed = try SealedSecret.seal([1, 2, 3], dataKey: dataKey, context: row)
        #expect(try SealedSecret.open(sealed, dataKey: dataKey, context: row) == [1, 2, 3])
        let otherRow = SealedSecret.context(purpose: "coordinator", tenant: acme, row: "1")
        #expect(throws: StoreError.self) { try SealedSecret.open(sealed, dataKey: dataKey, context: otherRow) }
        var tampered = sealed
        tampered[tampered.count - 1] ^= 1
        #expect(throws: StoreError.self) { try SealedSecret.open(tampered, dataKey: dataKey, context: row) }
    }

    @Test("master keys round-trip through base64 and never print")
    func masterKey() throws {
        let master = MasterKey(key: SymmetricKey())
        #expect(try MasterKey(encoded: master.encoded).key.rawRepresentation == master.key.rawRepresentation)
        #expect(!"\(master)".contains(master.encoded))
        #expect(throws: StoreError.self) { try MasterKey(encoded: "c2hvcnQ=") }
    }
}
