import CustosClients
import CustosCore
import CustosIdentity
import Foundation

extension SSIService {
    /// A resolved DID with its DID Core metadata, as `GET /verification/latest-document/{id}` and the public
    /// resolver (`GET /1.0/identifiers/{did}`, the DIF Universal Resolver shape) give it.
    struct ResolvedDocument: Sendable {
        /// The DID document (for did:custos, without the version's `custos` and `proof` members).
        let document: JSONValue
        /// The signed version as published (did:custos only).
        let version: JSONValue?
        /// `didDocumentMetadata`.
        let metadata: JSONValue
        /// The ledger message that anchors the version (did:custos only).
        let messageID: Digest32?
    }

    /// Resolves `did` as of now, or as of `versionTime` (did:custos keeps every version); a did:iota only for
    /// the tenant that imported it, as the signed wire form it was imported in.
    func resolveDocument(_ did: String, versionTime: String?, tenant: TenantID?) async throws -> ResolvedDocument {
        let parsed = try DIDArgument(did).did
        var time: Date?
        if let versionTime {
            guard let date = Timestamp.parse(versionTime) else {
                throw RequestError(.invalidInput, "version-time must be an RFC 3339 date-time")
            }
            time = date
        }
        if parsed.method == "key" {
            let document = try await DIDKeyResolver().resolve(parsed)
            return ResolvedDocument(document: document.json, version: nil, metadata: [:], messageID: nil)
        }
        if parsed.method == IotaLegacyDocument.method, let tenant {
            guard let (wire, document) = try await resolver(tenant).resolveImported(parsed) else {
                throw RequestError(.notFound, "no did:iota document was imported with an identity of this tenant")
            }
            let meta = wire["meta"] ?? [:]
            return ResolvedDocument(
                document: document.json, version: wire,
                metadata: ["created": meta["created"] ?? .null, "updated": meta["updated"] ?? .null, "imported": true],
                messageID: nil)
        }
        let resolution = try await resolver(tenant).resolveCustos(parsed, at: time)
        let metadata = resolution.version.metadata
        var members: [String: JSONValue] = [
            "versionId": .string(String(metadata.versionId)),
            "created": .string(Timestamp.iso8601(metadata.created)),
            "updated": .string(Timestamp.iso8601(metadata.updated)),
            "ledger": .object([
                "tenant": .string(resolution.row.tenant.rawValue),
                "messageId": .string(resolution.row.messageID.hex),
                "receipt": try await receipt(resolution.row),
            ]),
        ]
        if metadata.deactivated { members["deactivated"] = true }
        if let later = resolution.chain.versions.first(where: { $0.metadata.versionId == metadata.versionId + 1 }) {
            members["nextUpdate"] = .string(Timestamp.iso8601(later.metadata.updated))
            members["nextVersionId"] = .string(String(later.metadata.versionId))
        }
        return ResolvedDocument(
            document: resolution.version.document.json, version: resolution.version.json,
            metadata: .object(members), messageID: resolution.row.messageID)
    }

    /// The ledger receipt of a version, or null while its milestone is still to come.
    private func receipt(_ row: DocumentRow) async throws -> JSONValue {
        do {
            return try JSONParser.parse(try await ledger.receipt(tenant: row.tenant, id: row.messageID))
        } catch let error as RPCError where error.status == 404 || error.status == 409 {
            return .null
        }
    }
}
