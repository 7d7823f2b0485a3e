import CustosClients
import CustosCore
import CustosServer
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What a tenant gateway publishes without any key, for holders and third-party verifiers: the JWKS of its
/// identity tokens, DID resolution (DIF Universal Resolver shape) and its status list credentials.
struct PublicIdentityRoutes {
    let tenancy: GatewayTenancy
    let ssi: SSIClient

    func add(to router: Router<CustosRequestContext>) {
        router.get("/.well-known/jwks.json") { request, _ in
            let keys = try await ssi.jwks(tenant: try tenancy.publicTenant(request))
            var response = try JSONResponse.make(keys)
            response.headers[.cacheControl] = "public, max-age=60"
            return response
        }
        router.get("/1.0/identifiers/:did") { request, context in
            guard let did = context.parameters.get("did") else { throw RequestError(.invalidInput, "missing did") }
            return try await relay(
                "/internal/v1/ssi/identifiers/" + (try RelayedRoutes.encoded(did.percentDecoded ?? did)),
                query: RelayedRoutes.query(request))
        }
        router.get("/status/v1/lists/:list/:purpose") { _, context in
            guard let list = context.parameters.get("list"), let purpose = context.parameters.get("purpose") else {
                throw RequestError(.invalidInput, "missing list or purpose")
            }
            var response = try await relay(
                "/internal/v1/ssi/status-lists/\(try RelayedRoutes.encoded(list))/\(try RelayedRoutes.encoded(purpose))",
                query: nil)
            // Verifiers may cache a list as long as its `ttl` says; a revocation shows within that time.
            response.headers[.cacheControl] = "public, max-age=60"
            return response
        }
    }

    private func relay(_ path: String, query: String?) async throws -> Response {
        RelayedRoutes.response(
            try await ssi.forward(
                .init(method: .GET, path: path, query: query, caller: "key", body: nil, contentType: nil)))
    }
}
