import Hummingbird

/// Requires the service token as `Authorization: Bearer ...` on every route below `/internal/`.
public struct ServiceTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let token: ServiceToken

    /// Creates the middleware for a token.
    public init(token: ServiceToken) { self.token = token }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.uri.path.hasPrefix("/internal/") else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            token.matches(header.dropFirst("Bearer ".count))
        else {
            throw RequestError(.unauthenticated, "internal route requires a valid service token")
        }
        return try await next(request, context)
    }
}
