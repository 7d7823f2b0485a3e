import CustosCore
import Foundation

/// Resolves DIDs from documents given up front (files, fixtures, a cache), plus did:key.
///
/// did:custos DIDs resolve through verified ``DIDDocumentChain``s (the latest version, or the one in
/// force at ``resolutionTime``); other DIDs through plain documents the caller vouches for.
public struct StaticDIDResolver: DIDResolver {
    /// Plain documents by DID.
    public let documents: [DID: DIDDocument]
    /// Verified did:custos chains by DID.
    public let chains: [DID: DIDDocumentChain]
    /// Whether did:key DIDs resolve too.
    public let resolvesDIDKey: Bool
    /// If set, did:custos DIDs resolve to the version in force at this time instead of the latest.
    public let resolutionTime: Date?

    /// A resolver over `documents` and `chains`.
    public init(
        documents: [DIDDocument] = [],
        chains: [DIDDocumentChain] = [],
        resolvesDIDKey: Bool = true,
        resolutionTime: Date? = nil
    ) {
        self.documents = Dictionary(documents.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        self.chains = Dictionary(chains.map { ($0.did.did, $0) }, uniquingKeysWith: { _, last in last })
        self.resolvesDIDKey = resolvesDIDKey
        self.resolutionTime = resolutionTime
    }

    /// Loads documents in any supported form: a did:custos version (grouped by DID and verified as a
    /// chain in versionId order), an array of such versions, an IS `{doc, meta, proof}` root document
    /// (verified), or a plain DID document (taken as given).
    public static func loading(_ values: [JSONValue], resolutionTime: Date? = nil) throws(IdentityError)
        -> StaticDIDResolver
    {
        var plain: [DIDDocument] = []
        var versionsByDID: [String: [JSONValue]] = [:]
        var pending = values
        var index = 0
        while index < pending.count {
            let value = pending[index]
            index += 1
            if case .array(let elements) = value {
                pending.append(contentsOf: elements)
            } else if value[DocumentVersionMetadata.member] != nil {
                let id = try JSONFields(value, path: "").string("id")
                versionsByDID[id, default: []].append(value)
            } else if IotaLegacyDocument.isWireDocument(value) {
                plain.append(try IotaLegacyDocument.verify(value))
            } else {
                plain.append(try DIDDocument(json: value))
            }
        }
        var chains: [DIDDocumentChain] = []
        for id in versionsByDID.keys.sorted() {
            let ordered = versionsByDID[id]!.sorted {
                ($0[DocumentVersionMetadata.member]?["versionId"]?.doubleValue ?? 0)
                    < ($1[DocumentVersionMetadata.member]?["versionId"]?.doubleValue ?? 0)
            }
            chains.append(try DIDDocumentChain(verifying: ordered))
        }
        return StaticDIDResolver(documents: plain, chains: chains, resolutionTime: resolutionTime)
    }

    /// The document of `did`.
    public func resolve(_ did: DID) async throws(IdentityError) -> DIDDocument {
        if let chain = chains[did] {
            let version =
                try resolutionTime.map { date throws(IdentityError) in try chain.version(at: date) } ?? chain.latest
            if version.metadata.deactivated {
                throw IdentityError.deactivated(did.description)
            }
            return version.document
        }
        if let document = documents[did] {
            return document
        }
        if resolvesDIDKey, did.method == "key" {
            return try DIDKey.document(for: did)
        }
        throw IdentityError.didNotFound(did.description)
    }
}
