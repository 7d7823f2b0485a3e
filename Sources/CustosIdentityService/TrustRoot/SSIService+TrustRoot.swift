import CustosCore
import CustosCrypto
import CustosIdentity
import CustosLedger
import CustosStore
import Foundation

extension SSIService {
    /// The fragment of the trust root's method that carries the ledger coordinator key with `index` (no
    /// relationship: it signs checkpoints, never credentials or documents).
    static func coordinatorFragment(_ index: Int) -> String { "coordinator-\(index)" }
    /// The fragment of the trust root's service that says where the tenant ledger's checkpoints are.
    static let ledgerServiceFragment = "ledger"

    /// Creates the tenant's trust root once; later calls return it unchanged.
    ///
    /// Steps, each safe to repeat: the root's document version 1 is anchored on the tenant ledger (an orphan
    /// entry if the worker dies before the commit below, harmless), then one transaction stores the tenant row,
    /// the root identity (role Admin, server identity) with its keys sealed in custody, the document, its
    /// status list, its self-issued VerifiedIdentityCredential and its trusted-root entry.
    func createTrustRoot(_ tenant: TenantID, gatewayURL: String) async throws -> SSITenantRow {
        if let existing = try await store.tenant(tenant) { return existing }
        guard let url = URL(string: gatewayURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
            !gatewayURL.hasSuffix("/")
        else { throw RequestError(.invalidInput, "gatewayURL must be an absolute http(s) URL without a final /") }
        let network = try await ledger.network(tenant: tenant)
        let keys = IdentityKeyPair.generate()
        let created = now()
        let did = try CustosDID(network: network.name, initialKey: keys.sign.publicKey).did
        let document = try Self.trustRootDocument(
            did: did, keys: keys, coordinatorKey: network.coordinatorKey, gatewayURL: gatewayURL)
        let signer = Ed25519Signer(
            privateKey: keys.sign, verificationMethod: did.description + "#" + CustosDocumentVersion.signingFragment)
        let version = try CustosDocumentVersion.first(document, signer: signer, created: created)
        let documentRow = try await anchor(version, tenant: tenant, did: did.description, number: 1, at: created)
        let row = SSITenantRow(
            tenant: tenant, network: network.name, trustRoot: did.description, gatewayURL: gatewayURL,
            created: created)
        let list = Self.newStatusListID()
        let index = Int(SecureRandom.uniform(upperBound: UInt32(Self.statusListCapacity)))
        let credential = try Self.issue(
            subject: did.description, type: VerifiableCredential.verifiedIdentityType,
            claim: ["type": "Organization", "name": .string(tenant.rawValue)], initiator: did.description,
            row: row, list: list, index: index, signer: signer, at: created)
        let identity = IdentityRow(
            did: did.description, username: "trust-root", registrationDate: created, creator: nil, role: "Admin",
            claim: Array(#"{"type":"Organization"}"#.utf8), claimType: "Organization", hidden: false, isServer: true)
        let inserted = try await store.insertTrustRoot(
            row, identity: identity, keys: try await seal(keys, tenant: tenant, did: did.description),
            document: documentRow, statusList: list, capacity: Self.statusListCapacity, credential: credential)
        guard inserted, let stored = try await store.tenant(tenant) else {
            // A concurrent call won; its trust root is the tenant's.
            return try await self.tenant(tenant)
        }
        logger.info("trust root created", metadata: ["tenant": "\(tenant)", "did": "\(did)"])
        return stored
    }

    /// Version 1 of a trust root: the standard methods, plus the ledger coordinator key as a method of no
    /// relationship and a service naming the ledger's checkpoint URL and note verifier key (docs/identity.md
    /// §10), so an auditor who trusts the DID learns which key signs the tenant's checkpoints.
    static func trustRootDocument(did: DID, keys: IdentityKeyPair, coordinatorKey: String, gatewayURL: String)
        throws -> DIDDocument
    {
        let standard = try CustosDocumentVersion.initialDocument(
            network: try CustosDID(did).network, signingKey: keys.sign.publicKey,
            keyAgreementKey: keys.encrypt.publicKey)
        return try withCoordinatorKey(
            coordinatorKey, index: 0, in: standard, gatewayURL: gatewayURL)
    }

    /// `document` with the coordinator key `verifierKey` added as `#coordinator-<index>` and named in the
    /// `#ledger` service, which replaces an earlier one.
    static func withCoordinatorKey(_ verifierKey: String, index: Int, in document: DIDDocument, gatewayURL: String)
        throws -> DIDDocument
    {
        let did = document.id
        // A note verifier key is `<origin>+<key id>+base64(0x01 ‖ Ed25519 public key)` (C2SP signed-note); the
        // origin holds no `+`, the base64 may.
        let fields = verifierKey.split(separator: "+", maxSplits: 2)
        guard fields.count == 3, let encoded = try? Base64.decode(fields[2]), encoded.count == 33, encoded[0] == 1
        else { throw RequestError(.invalidInput, "the coordinator key is not a note verifier key") }
        let coordinator = VerificationMethod(
            id: DIDURL(did: did, fragment: coordinatorFragment(index)), controller: did,
            key: .ed25519(try Ed25519.PublicKey(rawRepresentation: encoded.dropFirst())))
        var methods: [(VerificationMethod, [VerificationRelationship])] = document.verificationMethods.map {
            method in (method, VerificationRelationship.allCases.filter { document.isAuthorized(method.id, for: $0) })
        }
        methods.append((coordinator, []))
        let serviceID = did.description + "#" + ledgerServiceFragment
        let ledgerService = try DIDService(
            json: .object([
                "id": .string(serviceID), "type": "CustosLedger",
                "serviceEndpoint": .object([
                    "checkpoint": .string(gatewayURL + "/api/v1/ledger/checkpoint"),
                    "origin": .string(String(fields[0])), "verifierKey": .string(verifierKey),
                ]),
            ]), base: did, path: "service[0]")
        let others = document.services.filter { $0.id.description != serviceID }
        return DIDDocument(id: did, methods: methods, services: others + [ledgerService])
    }

    /// Publishes a rotated coordinator key: a new version of the trust root's document lists it beside the
    /// earlier keys (which signed the checkpoints before the rotation) and names it in `#ledger`. Nothing
    /// changes when the index is published already.
    func publishCoordinatorKey(_ tenant: TenantID, index: Int, verifierKey: String) async throws -> SSITenantRow {
        let row = try await self.tenant(tenant)
        let did = try DID(row.trustRoot)
        let latest = try await resolver(tenant).resolveCustos(did, at: nil).version
        let methodID = row.trustRoot + "#" + Self.coordinatorFragment(index)
        if latest.document.method(methodID) != nil { return row }
        let document = try Self.withCoordinatorKey(
            verifierKey, index: index, in: latest.document, gatewayURL: row.gatewayURL)
        // Versions are dated in whole seconds and must strictly follow one another.
        let updated = max(now(), latest.metadata.updated.addingTimeInterval(1))
        let version = try CustosDocumentVersion.next(
            after: latest.json, document: document, signer: try await trustRootSigner(row), updated: updated)
        let number = latest.metadata.versionId + 1
        let documentRow = try await anchor(version, tenant: tenant, did: row.trustRoot, number: number, at: updated)
        do { try await store.insertDocument(documentRow) } catch  where UniqueViolation.matches(error) {
            throw RequestError(.conflict, "the trust root's document changed meanwhile; publish the key again")
        }
        logger.info(
            "coordinator key published", metadata: ["tenant": "\(tenant)", "index": "\(index)", "version": "\(number)"])
        return row
    }

    /// Writes a signed document version to the tenant ledger (tag ``documentTag``, data its canonical bytes) and
    /// returns the row to store, with the ledger message id.
    func anchor(_ version: JSONValue, tenant: TenantID, did: String, number: Int, at date: Date) async throws
        -> DocumentRow
    {
        let bytes = try JCS.canonicalBytes(version)
        let ids = try await ledger.submit(
            tenant: tenant,
            entries: [
                try LedgerEntry(
                    payload: try TaggedData(tag: Array(Self.documentTag.utf8), data: bytes),
                    contentType: "application/did+json")
            ])
        return DocumentRow(
            tenant: tenant, did: did, version: number, document: bytes, messageID: ids[0], updated: date)
    }
}
