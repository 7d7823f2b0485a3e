import Foundation
import NIOCore

/// The JSON body of every error response: `{"error": "..."}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// A sentence saying what went wrong.
    public var error: String

    /// Creates a body.
    public init(error: String) { self.error = error }

    /// The encoded body of an error with `message`.
    public static func jsonBuffer(_ message: String) -> ByteBuffer {
        let data =
            (try? JSONCoding.encoder.encode(ErrorBody(error: message))) ?? Data("{\"error\":\"internal error\"}".utf8)
        return ByteBuffer(bytes: data)
    }
}
