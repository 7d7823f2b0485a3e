import CustosControl
import CustosCore
import Hummingbird

/// Requires a valid API key of this gateway's tenant on every route below `/api/`.
///
/// The key may come as `X-API-Key`, `Authorization: Bearer`, or the Integration Services style `?api-key=`.
/// Keys of other tenants, revoked or expired keys all get the same 401, so nothing is learnt about them.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let tenant: TenantID
    let store: ControlStore
    let cache: APIKeyCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        guard let presented = Self.presentedKey(request) else { throw CredentialError.missingAPIKey }
        let key = try SecretToken(parsing: presented, as: .apiKey)
        let tenant = self.tenant
        let store = self.store
        guard try await cache.verdict(for: key, verify: { try await store.isValidKey(key, tenant: tenant) }) else {
            throw CredentialError.invalidAPIKey
        }
        return try await next(request, context)
    }

    static func presentedKey(_ request: Request) -> Substring? {
        if let header = request.headers[.init("X-API-Key")!] { return Substring(header) }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            return header.dropFirst("Bearer ".count)
        }
        return request.uri.queryParameters["api-key"]
    }
}
