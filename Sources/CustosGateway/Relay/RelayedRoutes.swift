import CustosClients
import CustosCore
import CustosServer
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// Integration Services routes a gateway relays to the worker that serves them: each is registered with its own
/// path and method, so its group's authenticator, token reader and policies run for it, and then forwarded with
/// the caller named (`X-Custos-Caller`, and `X-Custos-Role` when the policies looked the role up).
///
/// Routed by hand: the workers keep and verify bodies as the exact JSON sent.
struct RelayedRoutes: Sendable {
    /// The routes, as the tenant API document names them, relative to the group.
    let routes: [(HTTPRequest.Method, String)]
    /// The largest body of these routes.
    let bodyLimit: Int
    /// The worker path of the group's root for a tenant, ending in `/`.
    let workerPrefix: @Sendable (TenantID) -> String
    /// Sends a request to the worker.
    let forward: @Sendable (WorkerRelay.Request) async throws -> WorkerRelay.Answer

    /// A request body read once (by ``BufferedBodyMiddleware``) and parsed strictly.
    struct Body: Sendable {
        let json: JSONValue
        let bytes: ByteBuffer
    }

    /// The strictly parsed body of a request with one, nil for a request without: a GET or DELETE, or a POST with
    /// neither body nor content type (a re-import has none).
    static func body(of request: Request, limit: Int) async throws -> Body? {
        guard request.method == .post || request.method == .put else { return nil }
        var request = request
        let bytes = try await request.collectBody(upTo: limit)
        if bytes.readableBytes == 0, request.headers[.contentType] == nil { return nil }
        try request.requireJSONContentType()
        guard bytes.readableBytes > 0 else { throw RequestError(.invalidInput, "request body is empty; expected JSON") }
        let json: JSONValue
        do { json = try JSONParser.parse(bytes.readableBytesView) } catch {
            throw RequestError(.invalidInput, "request body is not valid JSON: \(error.description)")
        }
        // The workers refuse U+0000 in these bodies too; refused here, it never reaches a policy's fact lookup.
        try RelayedRequest.refuseNUL(in: json, at: "body")
        return Body(json: json, bytes: bytes)
    }

    /// Registers the routes on `group`.
    func add(to group: RouterGroup<CustosRequestContext>) {
        for (method, path) in routes {
            group.on(RouterPath(path), method: method) { request, context in
                try await relay(request, context: context, path: path)
            }
        }
    }

    private func relay(_ request: Request, context: CustosRequestContext, path: String) async throws -> Response {
        let key = try context.requireTenantKey()
        // The policy facts parsed the body strictly already; the worker reads the same bytes.
        var bytes: ByteBuffer?
        if RequestBodyScope.json != nil {
            var request = request
            bytes = try await request.collectBody(upTo: bodyLimit)
        }
        var workerPath = workerPrefix(key.tenant)
        for segment in path.split(separator: "/") {
            if segment.hasPrefix(":") {
                let name = String(segment.dropFirst())
                guard let value = context.parameters.get(name) else {
                    throw RequestError(.invalidInput, "missing \(name)")
                }
                workerPath += try Self.encoded(value.percentDecoded ?? value) + "/"
            } else {
                workerPath += segment + "/"
            }
        }
        workerPath.removeLast()
        let answer = try await forward(
            .init(
                method: NIOHTTP1.HTTPMethod(rawValue: request.method.rawValue),
                path: workerPath, query: Self.query(request), caller: Self.caller(context),
                role: RequestBodyScope.role, body: bytes, contentType: "application/json"))
        return Self.response(answer)
    }

    /// The worker's answer, as the gateway's.
    static func response(_ answer: WorkerRelay.Answer) -> Response {
        var headers: HTTPFields = [:]
        if let type = answer.contentType { headers[.contentType] = type }
        return Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: answer.body))
    }

    /// `X-Custos-Caller`: the identity of a verified JWT, else the key.
    static func caller(_ context: CustosRequestContext) -> String {
        context.identityToken.map { "identity " + $0.subject } ?? "key"
    }

    /// The query without the API key, which the worker must never see.
    static func query(_ request: Request) -> String? {
        guard let query = request.uri.query, !query.isEmpty else { return nil }
        let kept = query.split(separator: "&").filter { !$0.hasPrefix("api-key=") && $0 != "api-key" }
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }

    /// A path segment for the worker URL: DIDs keep `:`, anything else outside the unreserved set is escaped, and
    /// the dot segments, which a URL parser would resolve to another route, are refused.
    static func encoded(_ segment: String) throws(RequestError) -> String {
        guard !segment.isEmpty, segment != ".", segment != ".." else {
            throw RequestError(.invalidInput, "a path parameter may not be empty, . or ..")
        }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return segment.addingPercentEncoding(withAllowedCharacters: allowed) ?? segment
    }
}

/// Reads a body once, before the policies look into it, so the handler can read it again.
struct BufferedBodyMiddleware: RouterMiddleware {
    typealias Context = CustosRequestContext
    let limit: Int
    /// Larger limits of some routes of the group, by the path template the router matched (`context.endpointPath`).
    var routeLimits: [String: Int] = [:]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var request = request
        let limit = context.endpointPath.flatMap { routeLimits[$0] } ?? limit
        if request.method == .post || request.method == .put {
            do { _ = try await request.collectBody(upTo: limit) } catch let error as HTTPError
                where error.status == .contentTooLarge
            {
                throw RequestError(.payloadTooLarge, "request body is larger than \(limit) bytes")
            }
        }
        return try await next(request, context)
    }
}
