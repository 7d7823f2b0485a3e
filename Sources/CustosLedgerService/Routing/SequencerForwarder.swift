import AsyncHTTPClient
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// Forwards a request to the ledger worker that sequences its tenant and streams the answer back unchanged.
///
/// The service token travels with the request (the owner authenticates it again); the hop-by-hop headers do not.
struct SequencerForwarder: Sendable {
    /// Marks a forwarded request, with the forwarding worker's URL: it is never forwarded a second time.
    static let forwardedHeader = HTTPField.Name("Custos-Forwarded-By")!

    /// What became of a forwarded request.
    enum Outcome: Sendable {
        /// The owner answered (whatever the status).
        case answered(Response)
        /// The owner could not be reached before it answered anything.
        case unreachable
    }

    /// The client of forwarded requests, as long-lived as `.internalCalls` and as wide, except that a refused
    /// connection fails the request at once instead of being retried until its deadline: an owner that refuses
    /// connections has died, and this worker takes its shard and answers itself.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    let client: HTTPClient
    /// This worker's URL, as other workers reach it.
    let advertiseURL: String
    /// The largest body forwarded (the process's limit): a request is read whole before it is forwarded, so that
    /// it can still be answered here when the owner turns out to be gone.
    let bodyLimit: Int
    /// How long the owner may take to start its answer.
    let timeout: Duration

    private static let hopByHop: Set<HTTPField.Name> = [
        .connection, .transferEncoding, .te, .upgrade, .contentLength, .proxyAuthorization, .trailer,
        HTTPField.Name("Keep-Alive")!, HTTPField.Name("Proxy-Connection")!,
    ]

    func forward(_ request: Request, body: ByteBuffer, to owner: String) async throws -> Outcome {
        var outgoing = HTTPClientRequest(url: owner + request.uri.description)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !Self.hopByHop.contains(field.name) {
            outgoing.headers.add(name: field.name.canonicalName, value: field.value)
        }
        outgoing.headers.replaceOrAdd(name: Self.forwardedHeader.canonicalName, value: advertiseURL)
        if body.readableBytes > 0 || request.method == .post || request.method == .put {
            outgoing.body = .bytes(body)
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(outgoing, timeout: TimeAmount(timeout))
        } catch {
            return .unreachable
        }
        var headers = HTTPFields()
        for header in response.headers {
            guard let name = HTTPField.Name(header.name), !Self.hopByHop.contains(name) else { continue }
            headers.append(HTTPField(name: name, value: header.value))
        }
        return .answered(
            Response(
                status: HTTPResponse.Status(code: Int(response.status.code)), headers: headers,
                body: ResponseBody(asyncSequence: response.body)))
    }
}
