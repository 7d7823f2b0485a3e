import CustosCore
import CustosCrypto
import CustosStore
import CustosStoreTesting
import Foundation
import Logging
import Testing

@testable import CustosIdentityService

@Suite("Issued credentials stored in batches")
struct CredentialStoreTests {
    static let tenant = TenantID("acme")!

    static func issued(_ id: String, list: String, index: Int) -> IssuedCredential {
        IssuedCredential(
            tenant: tenant,
            row: CredentialRow(
                id: id, subject: "did:key:subject", type: "VerifiableCredential", credential: Array(id.utf8),
                proofValue: "proof-\(id)", statusList: list, statusIndex: index, revoked: false, suspended: false),
            issued: Date(timeIntervalSince1970: 1_800_000_000))
    }

    @Test("a status index taken earlier in the same batch or by a stored credential leaves only that one out")
    func statusIndexCollisions() async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let store = SSIStore(
                    client: client, masterKey: MasterKey(key: SymmetricKey()), logger: Logger(label: "test"))
                try await store.migrate()
                try await store.insertStatusList(Self.tenant, id: "list-1", capacity: 16)
                #expect(try await store.insertCredentials([Self.issued("a", list: "list-1", index: 3)]) == ["a"])
                // "b" draws the index "a" holds; "c" and "d" draw the same fresh one, so only "c", the first, keeps it.
                let stored = try await store.insertCredentials([
                    Self.issued("b", list: "list-1", index: 3), Self.issued("c", list: "list-1", index: 5),
                    Self.issued("d", list: "list-1", index: 5), Self.issued("e", list: "list-1", index: 6),
                ])
                #expect(stored == ["c", "e"])
                // The ones left out were not stored at all, so their issuers can draw again under the same ids.
                #expect(try await store.insertCredentials([Self.issued("d", list: "list-1", index: 7)]) == ["d"])
                #expect(try await store.insertCredentials([Self.issued("b", list: "list-1", index: 8)]) == ["b"])
            }
        }
    }
}
