import CustosAuth
import CustosCore
import Hummingbird
import HummingbirdAuth

/// Authenticates other Custos processes by the service token (`Authorization: Bearer ...`).
///
/// Mounted on the `/internal` group of a router, so no path spelling reaches an internal route without it.
public struct ServiceTokenAuthenticator: AuthenticatorMiddleware {
    public typealias Context = CustosRequestContext
    private let token: ServiceToken

    /// Creates the authenticator for a token.
    public init(token: ServiceToken) { self.token = token }

    public func authenticate(request: Request, context: Context) async throws -> Caller? {
        guard let bearer = request.headers.bearer, token.matches(bearer.token) else {
            throw RequestError(.unauthenticated, "internal route requires a valid service token")
        }
        return .service
    }
}
