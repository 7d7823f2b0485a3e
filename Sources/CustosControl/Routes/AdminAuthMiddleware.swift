import Hummingbird

/// Requires a platform administrator token on every route below `/admin/`.
struct AdminAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: ControlStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.uri.path.hasPrefix("/admin/") else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw CredentialError.missingAdminToken
        }
        let token = try SecretToken(parsing: header.dropFirst("Bearer ".count), as: .adminToken)
        guard try await store.isAdmin(token) else { throw CredentialError.invalidAdminToken }
        return try await next(request, context)
    }
}
