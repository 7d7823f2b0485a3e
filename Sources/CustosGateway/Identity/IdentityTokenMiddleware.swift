import CustosAuth
import CustosCore
import CustosServer
import Foundation
import Hummingbird

/// Reads the identity's JWT on the SSI Bridge routes: the `Authorization: Bearer` token when the API key came
/// in `X-API-Key` or `?api-key=`. A token that is present but invalid or expired is a 401 (Integration Services
/// answered 500); whether a route needs one is for the policies.
struct IdentityTokenMiddleware: RouterMiddleware {
    typealias Context = CustosRequestContext
    let keys: TenantTokenKeys
    let verified = VerifiedTokens()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let token = Self.presentedToken(request) {
            let tenant = try context.requireTenantKey().tenant
            context.identityToken = try await verified.verify(token, tenant: tenant, now: Date()) { [keys] kid in
                try await keys.keys(of: tenant, for: kid)
            }
        }
        return try await next(request, context)
    }

    /// The bearer token, unless it is the request's API key.
    static func presentedToken(_ request: Request) -> String? {
        guard let bearer = request.headers.bearer?.token,
            request.headers[.init("X-API-Key")!] != nil || request.uri.queryParameters["api-key"] != nil
        else { return nil }
        return bearer
    }

    /// The `kid` of a token's header, to know whether the keys must be reread; nil when unreadable (the
    /// verification then says why).
    static func keyID(_ token: String) -> String? {
        guard let header = token.split(separator: ".").first, let bytes = try? Base64URL.decode(header),
            let json = try? JSONParser.parse(bytes)
        else { return nil }
        return json["kid"]?.stringValue
    }
}
