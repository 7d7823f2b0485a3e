import CustosCore
import CustosIdentity
import CustosServer
import Foundation
import Hummingbird

/// What the gateways publish without a key, served to them with the service token: DID resolution in the DIF
/// Universal Resolver shape, and status list credentials.
struct SSIPublicRoutes {
    let service: SSIService

    func add(to group: RouterGroup<CustosRequestContext>) {
        group.get("/internal/v1/ssi/identifiers/:did") { request, context in
            let did = try RelayedRequest.parameter("did", context)
            let resolved = try await service.resolveDocument(
                did, versionTime: request.uri.queryParameters["version-time"].map(String.init), tenant: nil)
            let body: JSONValue = [
                "@context": "https://w3id.org/did-resolution/v1",
                "didDocument": resolved.document,
                "didResolutionMetadata": ["contentType": "application/did+json"],
                "didDocumentMetadata": resolved.metadata,
            ]
            return Response.bytes(
                try JCS.canonicalBytes(body),
                contentType: "application/ld+json;profile=\"https://w3id.org/did-resolution\"")
        }
        group.get("/internal/v1/ssi/status-lists/:list/:purpose") { _, context in
            guard let purpose = StatusPurpose(rawValue: try RelayedRequest.parameter("purpose", context)) else {
                throw RequestError(.notFound, "a status list is published for revocation or suspension")
            }
            let (credential, _) = try await service.statusListCredential(
                try RelayedRequest.parameter("list", context), purpose: purpose)
            return Response.bytes(try JCS.canonicalBytes(credential), contentType: "application/vc+ld+json")
        }
    }
}
