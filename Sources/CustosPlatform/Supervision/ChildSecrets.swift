import CustosAuth
import CustosClients
import CustosStore

/// The secrets `custos up` hands its children, each role only what it uses (docs/security.md, "Secrets per
/// process"): a gateway or the control plane never holds the master key, the streams worker holds neither
/// the master key nor the database URL until it stores anything.
struct ChildSecrets: Sendable {
    /// The variable holding the database URL, which carries its password.
    static let databaseURLKey = "CUSTOS_DATABASE_URL"
    /// Every secret-bearing variable; a child's environment loses those its role is not granted.
    static let environmentKeys = [
        databaseURLKey, ServiceToken.environmentKey, MasterKey.environmentKey, SecretToken.administratorEnvironmentKey,
        PlatformAuditSigningKey.environmentKey, PlatformAuditSigningKey.previousEnvironmentKey,
    ]

    let database: DatabaseConfiguration
    let token: ServiceToken
    let masterKey: MasterKey
    /// The administrator token of `custos up`'s data directory.
    let administrator: SecretToken
    /// The key of the platform audit's records, the control plane's alone.
    let auditSigningKey: PlatformAuditSigningKey
    /// The key the audit is handed over from, while it is rotated; the control plane's alone too.
    var previousAuditSigningKey: PlatformAuditSigningKey? = nil

    /// The ledger worker seals coordinator keys: database, service token and master key.
    var ledgerWorker: [String: String] {
        [
            Self.databaseURLKey: database.url, ServiceToken.environmentKey: token.secret,
            MasterKey.environmentKey: masterKey.encoded,
        ]
    }

    /// The ssi worker seals identity keys in custody, like the ledger worker: database, service token and master
    /// key.
    var ssiWorker: [String: String] { ledgerWorker }

    /// The streams worker seals participant keys in custody, like the ledger worker: database, service token and
    /// master key.
    var streamsWorker: [String: String] { ledgerWorker }

    /// The control plane stores tenants and keys and calls the workers: database and service token, the
    /// administrator token it registers at start, and the keys it signs audit records with.
    var controlPlane: [String: String] {
        var secrets = gateway.merging([
            SecretToken.administratorEnvironmentKey: administrator.secret,
            PlatformAuditSigningKey.environmentKey: auditSigningKey.encoded,
        ]) { $1 }
        secrets[PlatformAuditSigningKey.previousEnvironmentKey] = previousAuditSigningKey?.encoded
        return secrets
    }

    /// A gateway verifies API keys in the database and calls the ledger worker: database and service token.
    var gateway: [String: String] {
        [Self.databaseURLKey: database.url, ServiceToken.environmentKey: token.secret]
    }
}
