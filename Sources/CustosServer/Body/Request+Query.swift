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

extension Request {
    /// The `limit` and `index` of an Integration Services list (is-api.md §0.5) as a page: `limit` from 0 to
    /// `maximum` (0 means `maximum`, where Integration Services read it as "no limit"), `index` a page number from 0.
    public func page(defaultLimit: Int, maximum: Int = 1000) throws -> (limit: Int, offset: Int) {
        let limit = try integerQuery("limit") ?? defaultLimit
        guard (0...maximum).contains(limit) else { throw RequestError(.invalidInput, "limit must be 0 to \(maximum)") }
        let size = limit == 0 ? maximum : limit
        let index = try integerQuery("index") ?? 0
        guard (0...1_000_000).contains(index) else { throw RequestError(.invalidInput, "index must be 0 to 1000000") }
        return (size, index * size)
    }
}

extension Response {
    /// A 200 response carrying raw bytes (notes, tiles, canonical JSON produced elsewhere).
    public static func bytes(_ bytes: [UInt8], contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
