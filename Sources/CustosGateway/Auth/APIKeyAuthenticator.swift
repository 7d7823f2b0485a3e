import CustosAuth
import CustosCore
import CustosServer
import Hummingbird
import HummingbirdAuth

/// Authenticates integrators by an API key of this gateway's tenant; mounted on the `/api` route group.
///
/// The key may come as `X-API-Key`, the Integration Services style `?api-key=`, or `Authorization: Bearer`.
/// Keys of other tenants, revoked or expired keys all get the same 401, so nothing is learnt about them.
struct APIKeyAuthenticator: AuthenticatorMiddleware {
    typealias Context = CustosRequestContext
    let tenant: TenantID
    let verifier: any APIKeyVerifier
    let cache: APIKeyCache

    func authenticate(request: Request, context: Context) async throws -> Caller? {
        guard let presented = Self.presentedKey(request) else { throw CredentialError.missingAPIKey }
        let key = try SecretToken(parsing: presented, as: .apiKey)
        let (tenant, verifier) = (self.tenant, self.verifier)
        guard let grant = try await cache.verdict(for: key, verify: { try await verifier.verify(key, tenant: tenant) })
        else { throw CredentialError.invalidAPIKey }
        return .tenantKey(Caller.TenantKey(tenant: tenant, keyID: key.id, scopes: grant.scopes))
    }

    /// The header first, then the query, then the bearer token: on identity routes the bearer token is the
    /// identity's JWT, and the key comes in one of the others, as Integration Services clients send it.
    static func presentedKey(_ request: Request) -> Substring? {
        if let header = request.headers[.init("X-API-Key")!] { return Substring(header) }
        if let query = request.uri.queryParameters["api-key"] { return query }
        return request.headers.bearer.map { Substring($0.token) }
    }
}
