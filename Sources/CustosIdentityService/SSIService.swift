import CustosClients
import CustosCore
import CustosCrypto
import CustosIdentity
import CustosServer
import CustosStore
import Foundation
import Logging

/// The ssi worker's domain: identities, DID documents anchored on the tenant ledgers, logins, credentials,
/// status lists and trusted roots, per tenant (docs/identity.md). Routes are thin controllers over it.
///
/// Keys held in custody are sealed under the tenant's ssi data key and opened only for the operation that
/// needs them; only the trust root's signing key stays open, for at most 30 s (``SSICaches``).
struct SSIService: Sendable {
    let store: SSIStore
    let ledger: LedgerClient
    let logger: Logger
    let caches = SSICaches()
    /// Issued credentials on their way to the store: what concurrent issuances hand in while a batch is being
    /// stored goes in the next one, in one statement (a lone issuance waits for nobody). True when stored, false
    /// when its status index was taken. Its `run()` is a service of the worker.
    let credentialWrites: SubmitQueue<IssuedCredential, Bool>
    /// The current time; tests pass a fixed clock.
    let now: @Sendable () -> Date

    init(store: SSIStore, ledger: LedgerClient, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.ledger = ledger
        self.logger = logger
        self.now = now
        credentialWrites = SubmitQueue(maximumBatch: 256) { batch in
            let stored = try await store.insertCredentials(batch)
            return batch.map { .success(stored.contains($0.row.id)) }
        }
    }

    /// The tag of every DID document version on a tenant ledger.
    static let documentTag = "custos:did"
    /// Associated-data purposes of the sealed identity keys.
    static let signPurpose = "identity-sign"
    static let encryptPurpose = "identity-encrypt"

    /// The tenant's identity setup; a 404 before the control plane created its trust root.
    func tenant(_ tenant: TenantID) async throws -> SSITenantRow {
        try await caches.value(\.tenants, tenant, lifetime: SSICaches.tenantLifetime) {
            guard let row = try await store.tenant(tenant) else {
                throw RequestError(.notFound, "tenant \(tenant) has no identity trust root yet")
            }
            return row
        }
    }

    /// Resolves DIDs: did:key by expansion, did:custos from the published versions of any tenant, and did:iota
    /// from the documents `tenant` imported (none without a tenant).
    func resolver(_ tenant: TenantID?) -> PlatformDIDResolver {
        PlatformDIDResolver(store: store, caches: caches, tenant: tenant)
    }

    /// Verifies credentials for `tenant` with its resolver and the platform's status lists.
    func credentialVerifier(_ tenant: TenantID) -> CredentialVerifier {
        CredentialVerifier(resolver: resolver(tenant), statusFetcher: PlatformStatusLists(service: self))
    }

    // MARK: Keys in custody

    /// Seals an identity's signing seed and X25519 scalar under the tenant's ssi data key (created on first use).
    func seal(_ keys: IdentityKeyPair, tenant: TenantID, did: String) async throws -> SealedIdentityKeys {
        let dataKey = try await store.keyring.create(tenant: tenant, component: .ssi)
        return SealedIdentityKeys(
            sign: try dataKey.seal(keys.sign.seed, purpose: Self.signPurpose, row: did),
            encrypt: try dataKey.seal(keys.encrypt.rawRepresentation, purpose: Self.encryptPurpose, row: did))
    }

    /// The signing key of an identity held in custody.
    func signingKey(tenant: TenantID, did: String) async throws -> Ed25519.PrivateKey {
        guard let sealed = try await store.identityKeys(tenant, did: did) else {
            throw RequestError(.internalFailure, "the keys of \(did) are not held by this tenant")
        }
        let dataKey = try await store.keyring.dataKey(tenant: tenant, component: .ssi)
        return try Ed25519.PrivateKey(seed: try dataKey.open(sealed.sign, purpose: Self.signPurpose, row: did))
    }

    /// The trust root's signer for proofs, by its `#sign-0` method.
    func trustRootSigner(_ row: SSITenantRow) async throws -> Ed25519Signer {
        try await caches.value(\.signers, row.tenant, lifetime: SSICaches.signerLifetime) {
            Ed25519Signer(
                privateKey: try await signingKey(tenant: row.tenant, did: row.trustRoot),
                verificationMethod: row.trustRoot + "#" + CustosDocumentVersion.signingFragment)
        }
    }
}

/// A fresh identity's keys: Ed25519 for signing, X25519 for key agreement (`#sign-0` and `#kex-0`).
struct IdentityKeyPair: Sendable {
    let sign: Ed25519.PrivateKey
    let encrypt: X25519.PrivateKey

    static func generate() -> IdentityKeyPair {
        IdentityKeyPair(sign: Ed25519.PrivateKey(), encrypt: X25519.PrivateKey())
    }

    /// The Integration Services `IdentityKeys.keys` member: base58 of the seed, the scalar and the public keys.
    var isKeys: JSONValue {
        .object([
            "sign": .object([
                "public": .string(Base58.encode(sign.publicKey.rawRepresentation)),
                "private": .string(Base58.encode(sign.seed)), "type": "ed25519", "encoding": "base58",
            ]),
            "encrypt": .object([
                "public": .string(Base58.encode(encrypt.publicKey.rawRepresentation)),
                "private": .string(Base58.encode(encrypt.rawRepresentation)), "type": "x25519",
                "encoding": "base58",
            ]),
        ])
    }
}
