import Foundation
import HTTPTypes
import OpenAPIRuntime

/// What every generated client of a Custos API does around each request: connects to a loopback name's address
/// (``LoopbackName``), sends the bearer credential, repeats a
/// read once after a transport failure (a pooled connection to a process that has since restarted fails once),
/// and turns every non-2xx answer into an ``RPCError`` carrying the callee's JSON error message, so callers see
/// the documented errors as typed domain errors rather than as undocumented enum cases.
struct ServiceClientMiddleware: ClientMiddleware {
    let service: String
    let bearer: String?
    /// Sent as `X-API-Key` where the bearer token is something else (an identity's JWT on the SSI Bridge).
    var apiKey: String?

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        var baseURL = baseURL
        if let (loopback, host) = LoopbackName.rewrite(baseURL) {
            baseURL = loopback
            request.headerFields[HTTPField.Name("Host")!] = host
        }
        if let bearer { request.headerFields[.authorization] = "Bearer \(bearer)" }
        if let apiKey { request.headerFields[HTTPField.Name("X-API-Key")!] = apiKey }
        let attempts = request.method == .get ? 2 : 1
        var failure: (any Error)?
        for _ in 0..<attempts {
            let answer: (HTTPResponse, HTTPBody?)
            do { answer = try await next(request, body, baseURL) } catch {
                failure = error
                continue
            }
            let (response, responseBody) = answer
            guard (200..<300).contains(response.status.code) else {
                var bytes: [UInt8] = []
                if let responseBody { bytes = (try? await [UInt8](collecting: responseBody, upTo: 64 * 1024)) ?? [] }
                let message =
                    (try? JSONDecoder().decode(ErrorBody.self, from: Data(bytes)))?.error
                    ?? response.status.reasonPhrase
                throw RPCError(service: service, status: response.status.code, message: message)
            }
            return answer
        }
        throw RPCError(service: service, status: nil, message: "\(operationID): \(failure.map { "\($0)" } ?? "")")
    }
}

/// Runs a generated client call and reports every failure as the ``RPCError`` the middleware raised, or as an
/// unexpected answer.
func call<Output>(_ service: String, _ operation: () async throws -> Output) async throws -> Output {
    do { return try await operation() } catch let error as ClientError {
        if let rpc = error.underlyingError as? RPCError { throw rpc }
        throw RPCError(service: service, status: nil, message: "unexpected answer to \(error.operationID)")
    }
}

// A client printed whole (a service in a lifecycle log line, an error's context) must never show its credential.
extension ServiceClientMiddleware: CustomStringConvertible, CustomReflectable {
    var description: String { "ServiceClientMiddleware(service: \(service), credential: redacted)" }
    var customMirror: Mirror { Mirror(self, children: ["service": service]) }
}
