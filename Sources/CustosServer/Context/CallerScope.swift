import CustosAuth
import CustosCore
import Hummingbird

/// The authenticated caller for handlers that do not see the request context: generated OpenAPI handlers
/// receive only their typed input, so the group's ``CallerScopeMiddleware`` binds the caller to the task.
public enum CallerScope {
    /// The caller of the request the current task serves, if a route group authenticated one.
    @TaskLocal public static var current: Caller?

    /// The tenant of the API key that authenticated the current request; fails closed like
    /// ``CustosRequestContext/requireTenantKey()``.
    public static func tenantKey() throws(RequestError) -> Caller.TenantKey {
        guard let current else { throw Caller.missing }
        return try current.requireTenantKey()
    }
}

/// Binds the authenticated caller of the request context to ``CallerScope/current`` for the rest of the chain;
/// added after a group's authenticator.
public struct CallerScopeMiddleware: RouterMiddleware {
    public typealias Context = CustosRequestContext

    /// Creates the middleware.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        try await CallerScope.$current.withValue(try context.requireCaller()) { try await next(request, context) }
    }
}
