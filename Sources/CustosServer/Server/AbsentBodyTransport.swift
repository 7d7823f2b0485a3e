import HTTPTypes
import OpenAPIRuntime

/// Registers generated handlers on `base` so that a request without a body reaches them without one.
///
/// The Hummingbird transport hands every request an `HTTPBody`, empty when nothing was sent, and the generated
/// decoder of an optional body (`requestBody.required: false`) then reads that empty body as JSON and refuses it:
/// `POST .../keys/{keyId}/rotate` with no body answered 400 "not valid JSON" although the document allows it.
/// HTTP/1.1 frames a request body only by `Content-Length` or `Transfer-Encoding` (RFC 9112 §6.3), so a request
/// with neither, or with a length of zero, has none; a required body then gets the generated "missing body" error.
public struct AbsentBodyTransport<Base: ServerTransport>: ServerTransport {
    private let base: Base

    /// Wraps `base`, typically a route group.
    public init(_ base: Base) { self.base = base }

    public func register(
        _ handler:
            @Sendable @escaping (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
                HTTPResponse, HTTPBody?
            ),
        method: HTTPRequest.Method, path: String
    ) throws {
        try base.register(
            { request, body, metadata in try await handler(request, request.announcesBody ? body : nil, metadata) },
            method: method, path: path)
    }
}
