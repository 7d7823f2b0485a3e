import CustosCore
import CustosIdentity
import Foundation

/// Resolves the DIDs this platform can answer for without any network: `did:key` by expanding the key,
/// `did:custos` from the versions its tenants published (each also a tagged-data entry of its tenant ledger),
/// and, for one tenant, the `did:iota` root documents that tenant imported with its identities.
///
/// A did:custos chain is verified version by version (each signed by a capabilityInvocation key of the one
/// before, version 1 by the key its tag commits to), and an imported did:iota document by its self-signature
/// and tag, each time it is resolved, so a row altered in the database does not resolve.
struct PlatformDIDResolver: DIDResolver {
    let store: SSIStore
    let caches: SSICaches
    /// Whose imported did:iota documents resolve; nil for the public resolver, which resolves none.
    let tenant: TenantID?

    /// One resolved version with the row it came from.
    struct Resolution: Sendable {
        let version: DIDDocumentChain.Version
        let row: DocumentRow
        let chain: DIDDocumentChain
    }

    func resolve(_ did: DID) async throws(IdentityError) -> DIDDocument {
        if did.method == "key" { return try await DIDKeyResolver().resolve(did) }
        if did.method == IotaLegacyDocument.method {
            guard let imported = try await resolveImported(did) else {
                throw IdentityError.resolutionFailed(
                    did: did.description,
                    reason: "did:iota documents resolve only when imported: register the identity with its document")
            }
            return imported.document
        }
        // Verifiers may see a version published in the last second late; see SSICaches.
        let chain: DIDDocumentChain
        do {
            chain = try await caches.value(\.chains, did, lifetime: SSICaches.chainLifetime) {
                try await resolveCustos(did, at: nil).chain
            }
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError.resolutionFailed(did: did.description, reason: "\(error)")
        }
        if chain.latest.metadata.deactivated { throw IdentityError.deactivated(did.description) }
        return chain.latest.document
    }

    /// The did:iota root document the tenant imported for `did`: the signed wire form as imported, and the DID
    /// document it carries, verified again; nil when the tenant imported none.
    func resolveImported(_ did: DID) async throws(IdentityError) -> (wire: JSONValue, document: DIDDocument)? {
        guard let tenant, did.method == IotaLegacyDocument.method else {
            throw IdentityError.unsupportedDIDMethod(did.method)
        }
        let bytes: [UInt8]?
        do { bytes = try await store.importedDocument(tenant, did: did.description) } catch {
            throw IdentityError.resolutionFailed(did: did.description, reason: "the document store is unavailable")
        }
        guard let bytes else { return nil }
        let wire: JSONValue
        do { wire = try JSONParser.parse(bytes) } catch {
            throw IdentityError.resolutionFailed(did: did.description, reason: "the imported document is not JSON")
        }
        let document = try IotaLegacyDocument.verify(wire)
        guard document.id == did else {
            throw IdentityError.resolutionFailed(
                did: did.description, reason: "the imported document is of another DID")
        }
        return (wire, document)
    }

    /// The latest version of a did:custos DID, or the one valid at `time`.
    func resolveCustos(_ did: DID, at time: Date?) async throws(IdentityError) -> Resolution {
        guard did.method == "custos" else { throw IdentityError.unsupportedDIDMethod(did.method) }
        let rows: [DocumentRow]
        do { rows = try await store.documents(did: did.description) } catch {
            throw IdentityError.resolutionFailed(did: did.description, reason: "the document store is unavailable")
        }
        guard !rows.isEmpty else { throw IdentityError.didNotFound(did.description) }
        var versions: [JSONValue] = []
        for row in rows {
            do { versions.append(try JSONParser.parse(row.document)) } catch {
                throw IdentityError.resolutionFailed(
                    did: did.description, reason: "version \(row.version) is not JSON")
            }
        }
        let chain = try DIDDocumentChain(verifying: versions)
        let version = try time.map { date throws(IdentityError) in try chain.version(at: date) } ?? chain.latest
        guard let row = rows.first(where: { $0.version == version.metadata.versionId }) else {
            throw IdentityError.resolutionFailed(did: did.description, reason: "a version has no row")
        }
        return Resolution(version: version, row: row, chain: chain)
    }
}
