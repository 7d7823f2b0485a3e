import CustosCore
import Hummingbird
import NIOCore

extension Request {
    /// An integer query parameter, or nil when absent. Only its form is checked here: the service that uses the
    /// value checks its range.
    public func integerQuery(_ name: String) throws -> Int? {
        guard let text = uri.queryParameters[Substring(name)] else { return nil }
        guard let number = Int(text) else {
            throw RequestError(.invalidInput, "query parameter \(name) must be an integer")
        }
        return number
    }
}

extension Response {
    /// A 200 response carrying raw bytes (notes, tiles, canonical JSON produced elsewhere).
    public static func bytes(_ bytes: [UInt8], contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
