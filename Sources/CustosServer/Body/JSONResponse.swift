import CustosClients
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Builds JSON responses with the shared encoder, so every process answers in the same format.
public enum JSONResponse {
    /// Encodes `value` as the body of a response with `status`.
    public static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONCoding.encoder.encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
