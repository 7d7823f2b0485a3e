import CustosCore
import CustosStore
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// SQL access for the ssi worker; every statement names its tenant, except the reads of published DID documents
/// and status lists, which are public by nature.
///
/// Every operation runs under a `DatabaseDeadline`, so an outage is a 503 and never a hang.
struct SSIStore: Sendable {
    let custody: CustodyDatabase
    var client: PostgresClient { custody.client }
    var logger: Logger { custody.logger }
    var database: DatabaseDeadline { custody.database }
    /// Holds each tenant's ssi data key, which seals the identity keys held in custody.
    var keyring: TenantKeyring { custody.keyring }

    init(
        client: PostgresClient, masterKey: MasterKey, logger: Logger,
        queryTimeout: Duration = DatabaseConfiguration.Options().queryTimeout
    ) {
        custody = CustodyDatabase(client: client, masterKey: masterKey, logger: logger, queryTimeout: queryTimeout)
    }

    func migrate() async throws { try await custody.migrate(SSIMigrations.set) }

    // MARK: Tenants

    /// Deletes everything of a deleted tenant in the ssi schema and destroys its ssi data key (identity keys); safe
    /// to repeat. Credentials name their status lists, so they go first. Returns the rows deleted now.
    func erase(_ tenant: TenantID) async throws -> Int {
        try await custody.erase(
            tenant, schema: "ssi",
            tables: [
                "credentials", "status_lists", "nonces", "documents", "imported_documents", "identity_keys",
                "identities",
                "trusted_roots", "tenants",
            ], component: .ssi)
    }

    func tenant(_ tenant: TenantID) async throws -> SSITenantRow? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT network, trust_root, gateway_url, created_at FROM ssi.tenants
                WHERE tenant_id = \(tenant.rawValue)
                """, logger: logger)
            for try await (network, root, url, created) in rows.decode((String, String, String, Date).self) {
                return SSITenantRow(
                    tenant: tenant, network: network, trustRoot: root, gatewayURL: url, created: created)
            }
            return nil
        }
    }

    /// Writes everything a new trust root consists of in one transaction: the tenant row, the root identity with
    /// its sealed keys, its first document version, its status list, its self-issued credential and the trusted
    /// root entry. Returns false when the tenant already has a trust root (nothing is written then).
    func insertTrustRoot(
        _ row: SSITenantRow, identity: IdentityRow, keys: SealedIdentityKeys, document: DocumentRow,
        statusList: String, capacity: Int, credential: CredentialRow
    ) async throws -> Bool {
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                let inserted = try await connection.query(
                    """
                    INSERT INTO ssi.tenants (tenant_id, network, trust_root, gateway_url, created_at)
                    VALUES (\(row.tenant.rawValue), \(row.network), \(row.trustRoot), \(row.gatewayURL), \(row.created))
                    ON CONFLICT (tenant_id) DO NOTHING RETURNING 1
                    """, logger: logger)
                var created = false
                for try await _ in inserted { created = true }
                guard created else { return false }
                try await insertIdentity(row.tenant, identity, keys: keys, document: document, on: connection)
                try await insertStatusList(row.tenant, id: statusList, capacity: capacity, on: connection)
                try await connection.query(
                    """
                    INSERT INTO ssi.credentials (tenant_id, credential_id, subject, credential_type, credential,
                        proof_value, status_list, status_index, issued_at)
                    VALUES (\(row.tenant.rawValue), \(credential.id), \(credential.subject), \(credential.type),
                        \(credential.credential.byteBuffer), \(credential.proofValue), \(credential.statusList),
                        \(credential.statusIndex), \(row.created))
                    """, logger: logger)
                try await connection.query(
                    "INSERT INTO ssi.trusted_roots (tenant_id, did) VALUES (\(row.tenant.rawValue), \(identity.did))",
                    logger: logger)
                return true
            }
        }
    }

    // MARK: Identities

    /// Inserts an identity with, optionally, its keys in custody and its first document version, or the
    /// did:iota document it was imported with. A taken username or DID is a 409.
    func insertIdentity(
        _ tenant: TenantID, _ identity: IdentityRow, keys: SealedIdentityKeys?, document: DocumentRow?,
        imported: [UInt8]? = nil
    ) async throws {
        do {
            try await database.run {
                try await client.transaction(logger: logger) { connection in
                    try await insertIdentity(tenant, identity, keys: keys, document: document, on: connection)
                    if let imported {
                        try await connection.query(
                            """
                            INSERT INTO ssi.imported_documents (tenant_id, did, document)
                            VALUES (\(tenant.rawValue), \(identity.did), \(imported.byteBuffer))
                            """, logger: logger)
                    }
                }
            }
        } catch  where UniqueViolation.matches(error, constraint: "identities_tenant_id_username_key") {
            throw RequestError(.conflict, "user already exists")
        } catch  where UniqueViolation.matches(error) {
            throw RequestError(.conflict, "identity \(identity.did) is already registered")
        }
    }

    private func insertIdentity(
        _ tenant: TenantID, _ identity: IdentityRow, keys: SealedIdentityKeys?, document: DocumentRow?,
        on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO ssi.identities (tenant_id, did, username, registration_date, creator, role, claim_type, claim,
                hidden, is_server)
            VALUES (\(tenant.rawValue), \(identity.did), \(identity.username), \(identity.registrationDate),
                \(identity.creator), \(identity.role), \(identity.claimType), \(identity.claim?.byteBuffer),
                \(identity.hidden), \(identity.isServer))
            """, logger: logger)
        if let keys {
            try await connection.query(
                """
                INSERT INTO ssi.identity_keys (tenant_id, did, sealed_sign, sealed_encrypt)
                VALUES (\(tenant.rawValue), \(identity.did), \(keys.sign.byteBuffer), \(keys.encrypt.byteBuffer))
                """, logger: logger)
        }
        if let document { try await insertDocument(document, on: connection) }
    }

    private static let identityColumns =
        "did, username, registration_date, creator, role, claim, claim_type, hidden, is_server"
    private typealias IdentityColumns = (String, String, Date, String?, String, ByteBuffer?, String?, Bool, Bool)

    private static func identity(_ columns: IdentityColumns) -> IdentityRow {
        IdentityRow(
            did: columns.0, username: columns.1, registrationDate: columns.2, creator: columns.3, role: columns.4,
            claim: columns.5?.bytes, claimType: columns.6, hidden: columns.7, isServer: columns.8)
    }

    func identity(_ tenant: TenantID, did: String) async throws -> IdentityRow? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.identityColumns) FROM ssi.identities
                WHERE tenant_id = \(tenant.rawValue) AND did = \(did)
                """, logger: logger)
            for try await columns in rows.decode(IdentityColumns.self) { return Self.identity(columns) }
            return nil
        }
    }

    /// The current role of `did`, or nil when it is not registered with the tenant.
    func role(_ tenant: TenantID, did: String) async throws -> String? {
        try await database.run {
            let rows = try await client.query(
                "SELECT role FROM ssi.identities WHERE tenant_id = \(tenant.rawValue) AND did = \(did)",
                logger: logger)
            for try await role in rows.decode(String.self) { return role }
            return nil
        }
    }

    /// `LIKE` pattern matching values that start with `prefix`: the input's own `%`, `_` and `\` match only
    /// themselves.
    static func prefixPattern(_ prefix: String) -> String {
        var escaped = ""
        for character in prefix {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped + "%"
    }

    func search(_ tenant: TenantID, _ search: IdentitySearch) async throws -> [IdentitySummary] {
        let order =
            switch search.ascending {
            case .none, .some(true): "ASC"
            case .some(false): "DESC"
            }
        return try await database.run {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.identityColumns),
                    (SELECT count(*) FROM ssi.credentials c WHERE c.tenant_id = i.tenant_id AND c.subject = i.did
                        AND c.revoked_at IS NULL)
                FROM ssi.identities i
                WHERE tenant_id = \(tenant.rawValue)
                    AND (\(search.type.map(Self.prefixPattern))::text IS NULL
                        OR claim_type LIKE \(search.type.map(Self.prefixPattern)))
                    AND (\(search.username.map(Self.prefixPattern))::text IS NULL
                        OR username LIKE \(search.username.map(Self.prefixPattern)))
                    AND (\(search.creator.map(Self.prefixPattern))::text IS NULL
                        OR creator LIKE \(search.creator.map(Self.prefixPattern)))
                    AND (\(search.registeredFrom)::timestamptz IS NULL OR registration_date >= \(search.registeredFrom))
                ORDER BY registration_date \(unescaped: order), did \(unescaped: order)
                LIMIT \(search.limit) OFFSET \(search.offset)
                """, logger: logger)
            var result: [IdentitySummary] = []
            for try await (did, username, date, creator, role, claim, type, hidden, server, count) in rows.decode(
                (String, String, Date, String?, String, ByteBuffer?, String?, Bool, Bool, Int).self)
            {
                result.append(
                    IdentitySummary(
                        row: Self.identity((did, username, date, creator, role, claim, type, hidden, server)),
                        credentialCount: count))
            }
            return result
        }
    }

    /// Applies the set members of an update; false when the identity does not exist.
    func updateIdentity(
        _ tenant: TenantID, did: String, username: String?, claim: (bytes: [UInt8], type: String?)?, hidden: Bool?,
        role: String?
    ) async throws -> Bool {
        do {
            return try await database.run {
                let rows = try await client.query(
                    """
                    UPDATE ssi.identities SET
                        username = coalesce(\(username), username),
                        claim = CASE WHEN \(claim != nil) THEN \(claim?.bytes.byteBuffer) ELSE claim END,
                        claim_type = CASE WHEN \(claim != nil) THEN \(claim?.type) ELSE claim_type END,
                        hidden = coalesce(\(hidden), hidden),
                        role = coalesce(\(role), role)
                    WHERE tenant_id = \(tenant.rawValue) AND did = \(did)
                    RETURNING 1
                    """, logger: logger)
                for try await _ in rows { return true }
                return false
            }
        } catch  where UniqueViolation.matches(error) {
            throw RequestError(.conflict, "user already exists")
        }
    }

    /// Deletes the identity record and the did:iota document it was imported with; its did:custos document
    /// versions stay (they are on the ledger) and so do its keys in custody, which are shredded only with the
    /// tenant. False when there was none.
    func deleteIdentity(_ tenant: TenantID, did: String) async throws -> Bool {
        try await database.run {
            let rows = try await client.query(
                """
                WITH imported AS (
                    DELETE FROM ssi.imported_documents WHERE tenant_id = \(tenant.rawValue) AND did = \(did)
                )
                DELETE FROM ssi.identities WHERE tenant_id = \(tenant.rawValue) AND did = \(did) RETURNING 1
                """, logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }

    func identityKeys(_ tenant: TenantID, did: String) async throws -> SealedIdentityKeys? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT sealed_sign, sealed_encrypt FROM ssi.identity_keys
                WHERE tenant_id = \(tenant.rawValue) AND did = \(did)
                """, logger: logger)
            for try await (sign, encrypt) in rows.decode((ByteBuffer, ByteBuffer).self) {
                return SealedIdentityKeys(sign: sign.bytes, encrypt: encrypt.bytes)
            }
            return nil
        }
    }

    // MARK: Documents

    func insertDocument(_ document: DocumentRow) async throws {
        try await database.run {
            try await client.withConnection { connection in try await insertDocument(document, on: connection) }
        }
    }

    private func insertDocument(_ document: DocumentRow, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO ssi.documents (tenant_id, did, version, document, message_id, updated_at)
            VALUES (\(document.tenant.rawValue), \(document.did), \(document.version),
                \(document.document.byteBuffer), \(document.messageID.bytes.byteBuffer), \(document.updated))
            """, logger: logger)
    }

    /// Every published version of `did`, oldest first, whichever tenant published it: DID documents are public.
    func documents(did: String) async throws -> [DocumentRow] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT tenant_id, version, document, message_id, updated_at FROM ssi.documents
                WHERE did = \(did) ORDER BY version
                """, logger: logger)
            var result: [DocumentRow] = []
            for try await (tenant, version, document, message, updated) in rows.decode(
                (String, Int, ByteBuffer, ByteBuffer, Date).self)
            {
                result.append(
                    DocumentRow(
                        tenant: try TenantID(validating: tenant), did: did, version: version, document: document.bytes,
                        messageID: try Digest32(bytes: message.readableBytesView), updated: updated))
            }
            return result
        }
    }

    /// The did:iota document the tenant imported for `did`, as stored (canonical JSON), or nil.
    func importedDocument(_ tenant: TenantID, did: String) async throws -> [UInt8]? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT document FROM ssi.imported_documents WHERE tenant_id = \(tenant.rawValue) AND did = \(did)
                """, logger: logger)
            for try await document in rows.decode(ByteBuffer.self) { return document.bytes }
            return nil
        }
    }

    // MARK: Nonces

    /// How many unexpired nonces a DID may have at once: a new request does not cancel the login of a client
    /// that asked earlier, yet nobody can pile up nonces.
    static let noncesPerDID = 5

    func insertNonce(_ tenant: TenantID, did: String, nonce: String, expires: Date) async throws {
        try await database.run {
            try await client.transaction(logger: logger) { connection in
                try await connection.query(
                    """
                    DELETE FROM ssi.nonces WHERE tenant_id = \(tenant.rawValue) AND (expires_at < now()
                        OR nonce IN (SELECT nonce FROM ssi.nonces WHERE tenant_id = \(tenant.rawValue) AND did = \(did)
                            ORDER BY expires_at DESC OFFSET \(Self.noncesPerDID - 1)))
                    """, logger: logger)
                try await connection.query(
                    """
                    INSERT INTO ssi.nonces (tenant_id, nonce, did, expires_at)
                    VALUES (\(tenant.rawValue), \(nonce), \(did), \(expires))
                    """, logger: logger)
            }
        }
    }

    func nonces(_ tenant: TenantID, did: String) async throws -> [String] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT nonce FROM ssi.nonces
                WHERE tenant_id = \(tenant.rawValue) AND did = \(did) AND expires_at > now()
                """, logger: logger)
            var result: [String] = []
            for try await nonce in rows.decode(String.self) { result.append(nonce) }
            return result
        }
    }

    /// Uses up a nonce; false when it was already used (by a concurrent login) or has expired.
    func consumeNonce(_ tenant: TenantID, did: String, nonce: String) async throws -> Bool {
        try await database.run {
            let rows = try await client.query(
                """
                DELETE FROM ssi.nonces
                WHERE tenant_id = \(tenant.rawValue) AND nonce = \(nonce) AND did = \(did) AND expires_at > now()
                RETURNING 1
                """, logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }

    // MARK: Status lists and credentials

    private func insertStatusList(_ tenant: TenantID, id: String, capacity: Int, on connection: PostgresConnection)
        async throws
    {
        try await connection.query(
            """
            INSERT INTO ssi.status_lists (list_id, tenant_id, capacity)
            VALUES (\(id), \(tenant.rawValue), \(capacity))
            """, logger: logger)
    }

    func insertStatusList(_ tenant: TenantID, id: String, capacity: Int) async throws {
        try await database.run {
            try await client.withConnection { connection in
                try await insertStatusList(tenant, id: id, capacity: capacity, on: connection)
            }
        }
    }

    /// The tenant's newest status list, with its capacity.
    func currentStatusList(_ tenant: TenantID) async throws -> (id: String, capacity: Int)? {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT list_id, capacity FROM ssi.status_lists WHERE tenant_id = \(tenant.rawValue)
                ORDER BY created_at DESC, list_id LIMIT 1
                """, logger: logger)
            for try await (id, capacity) in rows.decode((String, Int).self) { return (id, capacity) }
            return nil
        }
    }

    /// The tenant and capacity of a status list, by its public id.
    func statusList(_ id: String) async throws -> (tenant: TenantID, capacity: Int)? {
        try await database.run {
            let rows = try await client.query(
                "SELECT tenant_id, capacity FROM ssi.status_lists WHERE list_id = \(id)", logger: logger)
            for try await (tenant, capacity) in rows.decode((String, Int).self) {
                return (try TenantID(validating: tenant), capacity)
            }
            return nil
        }
    }

    /// The indices set in a list: revoked credentials, or suspended ones.
    func setIndices(list: String, suspension: Bool) async throws -> [Int] {
        try await database.run {
            // Two statements, so that each predicate matches its partial index.
            let rows =
                suspension
                ? try await client.query(
                    "SELECT status_index FROM ssi.credentials WHERE status_list = \(list) AND suspended", logger: logger
                )
                : try await client.query(
                    "SELECT status_index FROM ssi.credentials WHERE status_list = \(list) AND revoked_at IS NOT NULL",
                    logger: logger)
            var result: [Int] = []
            for try await index in rows.decode(Int.self) { result.append(index) }
            return result
        }
    }

    /// Stores issued credentials in one statement and returns the ids of those stored. One whose status index is
    /// taken, by an earlier credential or by one before it in the batch, is left out: its issuer draws another.
    func insertCredentials(_ batch: [IssuedCredential]) async throws -> Set<String> {
        try await database.run {
            let rows = try await client.query(
                """
                INSERT INTO ssi.credentials (tenant_id, credential_id, subject, credential_type, credential,
                    proof_value, status_list, status_index, issued_at)
                SELECT * FROM unnest(\(batch.map(\.tenant.rawValue))::text[], \(batch.map(\.row.id))::text[],
                    \(batch.map(\.row.subject))::text[], \(batch.map(\.row.type))::text[],
                    \(batch.map(\.row.credential.byteBuffer))::bytea[], \(batch.map(\.row.proofValue))::text[],
                    \(batch.map(\.row.statusList))::text[], \(batch.map { Int32($0.row.statusIndex) })::integer[],
                    \(batch.map(\.issued))::timestamptz[])
                ON CONFLICT DO NOTHING RETURNING credential_id
                """, logger: logger)
            var stored: Set<String> = []
            for try await id in rows.decode(String.self) { stored.insert(id) }
            return stored
        }
    }

    private static let credentialColumns =
        "credential_id, subject, credential_type, credential, proof_value, status_list, status_index, revoked_at IS NOT NULL, suspended"
    private typealias CredentialColumns = (String, String, String, ByteBuffer, String, String, Int, Bool, Bool)

    private static func credential(_ c: CredentialColumns) -> CredentialRow {
        CredentialRow(
            id: c.0, subject: c.1, type: c.2, credential: c.3.bytes, proofValue: c.4, statusList: c.5,
            statusIndex: c.6, revoked: c.7, suspended: c.8)
    }

    /// The credential whose proof value or id is exactly `reference`.
    func credential(_ tenant: TenantID, reference: String) async throws -> CredentialRow? {
        // PostgreSQL's text refuses U+0000 with an error, and no stored proof value or id holds one: a reference
        // with one names no credential, whichever route asks (the gateway refuses such bodies before it asks).
        guard !reference.unicodeScalars.contains("\u{0}") else { return nil }
        return try await database.run {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.credentialColumns) FROM ssi.credentials
                WHERE tenant_id = \(tenant.rawValue) AND (proof_value = \(reference) OR credential_id = \(reference))
                LIMIT 1
                """, logger: logger)
            for try await columns in rows.decode(CredentialColumns.self) { return Self.credential(columns) }
            return nil
        }
    }

    /// The live (unrevoked) credentials of a subject, oldest first.
    func credentials(_ tenant: TenantID, subject: String) async throws -> [CredentialRow] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.credentialColumns) FROM ssi.credentials
                WHERE tenant_id = \(tenant.rawValue) AND subject = \(subject) AND revoked_at IS NULL
                ORDER BY issued_at, credential_id LIMIT 100
                """, logger: logger)
            var result: [CredentialRow] = []
            for try await columns in rows.decode(CredentialColumns.self) { result.append(Self.credential(columns)) }
            return result
        }
    }

    /// Live credentials of the given type held by any of `subjects` in any tenant, for trust chains.
    func credentials(type: String, subjects: [String]) async throws -> [[UInt8]] {
        try await database.run {
            let rows = try await client.query(
                """
                SELECT credential FROM ssi.credentials
                WHERE subject = ANY(\(subjects)) AND credential_type = \(type) AND revoked_at IS NULL LIMIT 100
                """, logger: logger)
            var result: [[UInt8]] = []
            for try await credential in rows.decode(ByteBuffer.self) { result.append(credential.bytes) }
            return result
        }
    }

    /// Revokes for good; false when it was revoked already.
    func revoke(_ tenant: TenantID, credentialID: String) async throws -> Bool {
        try await database.run {
            let rows = try await client.query(
                """
                UPDATE ssi.credentials SET revoked_at = now()
                WHERE tenant_id = \(tenant.rawValue) AND credential_id = \(credentialID) AND revoked_at IS NULL
                RETURNING 1
                """, logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }

    func setSuspended(_ tenant: TenantID, credentialID: String, _ suspended: Bool) async throws {
        _ = try await database.run {
            try await client.query(
                """
                UPDATE ssi.credentials SET suspended = \(suspended)
                WHERE tenant_id = \(tenant.rawValue) AND credential_id = \(credentialID)
                """, logger: logger)
        }
    }

    /// Revokes every live credential of a subject; returns how many.
    func revokeAll(_ tenant: TenantID, subject: String) async throws -> Int {
        try await database.run {
            let rows = try await client.query(
                """
                UPDATE ssi.credentials SET revoked_at = now()
                WHERE tenant_id = \(tenant.rawValue) AND subject = \(subject) AND revoked_at IS NULL RETURNING 1
                """, logger: logger)
            var count = 0
            for try await _ in rows { count += 1 }
            return count
        }
    }

    // MARK: Trusted roots

    func trustedRoots(_ tenant: TenantID) async throws -> [String] {
        try await database.run {
            let rows = try await client.query(
                "SELECT did FROM ssi.trusted_roots WHERE tenant_id = \(tenant.rawValue) ORDER BY created_at, did",
                logger: logger)
            var result: [String] = []
            for try await did in rows.decode(String.self) { result.append(did) }
            return result
        }
    }

    /// Adds a trusted root; false when it was one already.
    func addTrustedRoot(_ tenant: TenantID, did: String) async throws -> Bool {
        try await database.run {
            let rows = try await client.query(
                """
                INSERT INTO ssi.trusted_roots (tenant_id, did) VALUES (\(tenant.rawValue), \(did))
                ON CONFLICT DO NOTHING RETURNING 1
                """, logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }

    func removeTrustedRoot(_ tenant: TenantID, did: String) async throws -> Bool {
        try await database.run {
            let rows = try await client.query(
                "DELETE FROM ssi.trusted_roots WHERE tenant_id = \(tenant.rawValue) AND did = \(did) RETURNING 1",
                logger: logger)
            for try await _ in rows { return true }
            return false
        }
    }
}
