import CustosClients
import CustosCore
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import OpenAPIRuntime

/// Turns every thrown error into a JSON error response; the only place errors become HTTP.
///
/// Domain errors (`CustosError`) keep their message, since they are written to be shown. Anything else is
/// logged and answered with a generic 500 so internals and secrets never reach the caller.
public struct ErrorResponseMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Creates the middleware.
    public init() {}

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServerError {
            // A generated handler's error: what the handler threw, or input that does not fit the contract.
            if error.operationInput == nil && !(error.underlyingError is any CustosError) {
                // The runtime's own status for input it could not read: 415 for the media type, else 400.
                let status = (400..<500).contains(error.httpStatus.code) ? error.httpStatus : .badRequest
                let message =
                    (error.underlyingError as? DecodingError).map {
                        // The routes that take no body (GET, DELETE) are the ones with typed path and query
                        // parameters, so there one of those did not fit; the runtime names its type, not its name.
                        [.get, .delete, .head].contains(error.request.method)
                            ? "a path or query parameter is not of its documented type: \($0.parameterSummary)"
                            : "request body does not match the expected shape: \($0.summary)"
                    } ?? "request does not match the API of this route: \(error.causeDescription)"
                return Self.response(status: status, message: message)
            }
            return try await handle(request, context: context) { _, _ in throw error.underlyingError }
        } catch let error as any CustosError {
            if error.kind == .internalFailure {
                context.logger.error("request failed", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            }
            var response = Self.response(status: error.kind.httpStatus, message: error.description)
            switch error.kind {
            case .rateLimited: response.headers[.retryAfter] = "1"
            case .unavailable: response.headers[.retryAfter] = "2"
            default: break
            }
            return response
        } catch let error as HTTPParserError {
            // Broken framing inside the body; the request guard closes the connection after this answer.
            return Self.response(status: .badRequest, message: RequestGuardState.describe(error))
        } catch is CancellationError {
            // The client went away and the server cancelled the handler: nobody is left to answer.
            context.logger.debug("request cancelled", metadata: ["path": "\(request.uri.path)"])
            return Self.response(status: .badRequest, message: "request cancelled")
        } catch let error as any HTTPResponseError {
            let message =
                switch error.status {
                case .contentTooLarge: "request body is too large"
                case .notFound: "no such route: \(request.method) \(request.uri.path)"
                case .methodNotAllowed: "method \(request.method) is not allowed on \(request.uri.path)"
                default: (error as? HTTPError)?.body ?? error.status.reasonPhrase
                }
            var response = Self.response(status: error.status, message: message)
            if let headers = (error as? HTTPError)?.headers { response.headers.append(contentsOf: headers) }
            return response
        } catch {
            context.logger.error(
                "request failed", metadata: ["error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
            return Self.response(status: .internalServerError, message: "internal error")
        }
    }

    /// A JSON error response with the given status.
    public static func response(status: HTTPResponse.Status, message: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ErrorBody.jsonBuffer(message)))
    }
}
