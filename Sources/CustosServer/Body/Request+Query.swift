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

/// Positions and sizes of a log named in a query (`after`, `from`, `to`): at most 2⁵³ − 1, the largest integer a
/// JSON number carries exactly and the largest leaf index a receipt may name, as the API documents declare.
public enum LogPositionQuery {
    /// The largest position or size a query may name.
    public static let maximum = (1 << 53) - 1

    /// `value` when it is absent or lies in `minimum ... maximum`; a 400 that names `name` otherwise.
    public static func checked(_ value: Int?, _ name: String, minimum: Int = 0) throws(RequestError) -> Int? {
        guard let value else { return nil }
        let inRange: Int = try checked(value, name, minimum: minimum)
        return inRange
    }

    /// `value` when it lies in `minimum ... maximum`; a 400 that names `name` otherwise.
    public static func checked(_ value: Int, _ name: String, minimum: Int = 0) throws(RequestError) -> Int {
        guard (minimum...maximum).contains(value) else {
            throw RequestError(.invalidInput, "query parameter \(name) must be \(minimum) to \(maximum)")
        }
        return value
    }
}
