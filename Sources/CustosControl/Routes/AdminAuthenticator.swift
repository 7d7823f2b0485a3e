import CustosAuth
import CustosServer
import Hummingbird
import HummingbirdAuth

/// Authenticates platform administrators by their token; mounted on the `/admin` route group.
struct AdminAuthenticator: AuthenticatorMiddleware {
    typealias Context = CustosRequestContext
    let store: ControlStore

    func authenticate(request: Request, context: Context) async throws -> Caller? {
        guard let bearer = request.headers.bearer else { throw CredentialError.missingAdminToken }
        let token = try SecretToken(parsing: bearer.token, as: .adminToken)
        guard try await store.isAdmin(token) else { throw CredentialError.invalidAdminToken }
        return .administrator(tokenID: token.id)
    }
}
