import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A typed JSON client for a Custos HTTP API, authenticated by a bearer credential (the service token
/// between processes, an administrator token from `custosctl`).
public struct InternalClient: Sendable {
    /// The callee's name for error messages (`ledger worker`).
    public let service: String
    /// Base URL such as `http://127.0.0.1:7101`.
    public let baseURL: String
    private let bearer: String
    private let http: HTTPClient
    private let timeout: TimeAmount

    /// Creates a client authenticated by any bearer secret.
    public init(
        service: String, baseURL: String, bearer: String, http: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)
    ) {
        self.service = service
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.bearer = bearer
        self.http = http
        self.timeout = timeout
    }

    /// Sends a request with an optional JSON body and decodes the JSON answer.
    public func send<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, body: (some Encodable)? = nil as String?,
        as _: Response.Type = Response.self
    ) async throws -> Response {
        let data = try await sendRaw(method, path, body: body)
        do {
            return try JSONCoding.decoder.decode(Response.self, from: Data(data))
        } catch {
            throw RPCError(service: service, status: nil, message: "unexpected answer to \(method) \(path)")
        }
    }

    /// Sends a request and returns the raw body of a 2xx answer.
    public func sendRaw(_ method: HTTPMethod, _ path: String, body: (some Encodable)? = nil as String?) async throws
        -> [UInt8]
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(bearer)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONCoding.encoder.encode(body)))
        }
        // A pooled connection to a process that has since restarted fails once; reads are safe to repeat.
        var outcome: Result<HTTPClientResponse, any Error> = .failure(
            RPCError(service: service, status: nil, message: ""))
        for _ in 0..<(method == .GET ? 2 : 1) {
            do {
                outcome = .success(try await http.execute(request, timeout: timeout))
                break
            } catch {
                outcome = .failure(error)
            }
        }
        let response: HTTPClientResponse
        switch outcome {
        case .success(let answer): response = answer
        case .failure(let error): throw RPCError(service: service, status: nil, message: "\(method) \(path): \(error)")
        }
        let bytes = try await response.body.collect(upTo: 64 << 20)
        guard (200..<300).contains(response.status.code) else {
            let message =
                (try? JSONCoding.decoder.decode(ErrorBody.self, from: Data(bytes.readableBytesView)))?.error
                ?? response.status.reasonPhrase
            throw RPCError(service: service, status: Int(response.status.code), message: message)
        }
        return Array(bytes.readableBytesView)
    }
}
