import CustosAuth
import CustosCore
import CustosServer
import HTTPTypes
import Hummingbird

/// Applies the plan's rate limits to every authenticated request, before its body is read: a refused request
/// costs no more than its authentication. A refusal is a 429 with `Retry-After`; it and every answer a handler
/// returns carry `RateLimit-Policy` and `RateLimit` (errors thrown further in are answered by the error middleware,
/// without them).
///
/// A refusal is answered after ``refusalDelay``: a client that retries at once gains nothing it would not have
/// had by waiting the `Retry-After` it is told, and a flood of refused requests over a few connections, which
/// would otherwise be answered as fast as it comes and take the CPU from every other tenant, becomes one
/// request per connection and delay, waiting without cost. The connections it can hold are bounded by the
/// process's connection limit.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = CustosRequestContext
    static let policyHeader = HTTPField.Name("RateLimit-Policy")!
    static let limitHeader = HTTPField.Name("RateLimit")!

    /// How long a refusal waits before it is sent.
    static let refusalDelay = Duration.seconds(1)

    let limiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard let verdict = limiter.take(key: try context.requireTenantKey()) else {
            return try await next(request, context)
        }
        guard verdict.allowed else {
            try? await Task.sleep(for: Self.refusalDelay)
            var response = ErrorResponseMiddleware<Context>.response(
                status: .tooManyRequests,
                message:
                    "the per-\(verdict.refusedBy ?? "key") rate limit of the tenant's plan is reached; retry after "
                    + "\(verdict.retryAfter) s")
            response.headers[.retryAfter] = String(verdict.retryAfter)
            response.headers[Self.policyHeader] = verdict.policy
            response.headers[Self.limitHeader] = verdict.limit
            return response
        }
        var response = try await next(request, context)
        response.headers[Self.policyHeader] = verdict.policy
        response.headers[Self.limitHeader] = verdict.limit
        return response
    }
}
