import CustosAuth
import CustosCore
import CustosServer
import Hummingbird
import HummingbirdAuth

/// Authenticates integrators by an API key of a tenant this gateway serves for the request
/// (``GatewayTenancy``); mounted on the `/api` route groups.
///
/// The key may come as `X-API-Key`, the Integration Services style `?api-key=`, or `Authorization: Bearer`.
/// Keys of other tenants, revoked or expired keys all get the same 401, so nothing is learnt about them; a key
/// of a suspended tenant gets a 403 that says so, as its holder is the tenant.
struct APIKeyAuthenticator: AuthenticatorMiddleware {
    typealias Context = CustosRequestContext
    let tenancy: GatewayTenancy
    let verifier: any APIKeyVerifier
    let cache: APIKeyCache

    func authenticate(request: Request, context: Context) async throws -> Caller? {
        guard let presented = Self.presentedKey(request) else { throw CredentialError.missingAPIKey }
        let verifier = self.verifier
        let verdict = try await cache.verdict(presented: presented, as: .apiKey) { try await verifier.verify($0) }
        guard let grant = verdict.grant, try tenancy.admits(grant.tenant, request) else {
            throw CredentialError.invalidAPIKey
        }
        if grant.suspended {
            throw RequestError(
                .forbidden,
                "tenant \(grant.tenant) is suspended: its keys and tokens are refused until the platform resumes it")
        }
        return .tenantKey(
            Caller.TenantKey(tenant: grant.tenant, keyID: verdict.keyID, scopes: grant.scopes, plan: grant.plan))
    }

    /// The header first, then the query, then the bearer token: on identity routes the bearer token is the
    /// identity's JWT, and the key comes in one of the others, as Integration Services clients send it.
    static func presentedKey(_ request: Request) -> Substring? {
        if let header = request.headers[.init("X-API-Key")!] { return Substring(header) }
        if let query = request.uri.queryParameters["api-key"] { return query }
        return request.headers.bearer.map { Substring($0.token) }
    }
}
