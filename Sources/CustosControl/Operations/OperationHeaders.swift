import CustosServer
import HTTPTypes
import Hummingbird

/// The `Idempotency-Key` and `Prefer` of an admin request, as sent. The generated handlers get header values
/// decoded as URI text, where `%` starts an escape: the key `a%41` reached them as `aA` (the same key as `aA`) and
/// `a%P` as a key that is not ASCII. Operations read the values from here instead.
struct OperationHeaders: Sendable {
    @TaskLocal static var current = OperationHeaders(idempotencyKey: nil, prefer: nil)

    let idempotencyKey: String?
    let prefer: String?
}

/// Sets ``OperationHeaders/current`` for the admin routes.
struct OperationHeadersMiddleware: RouterMiddleware {
    typealias Context = CustosRequestContext

    private static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    private static let prefer = HTTPField.Name("Prefer")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let headers = OperationHeaders(
            idempotencyKey: request.headers[Self.idempotencyKey], prefer: request.headers[Self.prefer])
        return try await OperationHeaders.$current.withValue(headers) { try await next(request, context) }
    }
}
