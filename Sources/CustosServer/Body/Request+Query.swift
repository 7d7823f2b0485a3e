import CustosCore
import Hummingbird
import NIOCore

extension Request {
    /// An integer query parameter within `range`, or `defaultValue` when absent (required when that is nil).
    public func integerQuery(_ name: String, default defaultValue: Int?, range: ClosedRange<Int>) throws -> Int {
        guard let text = uri.queryParameters[Substring(name)] else {
            guard let defaultValue else { throw RequestError(.invalidInput, "query parameter \(name) is required") }
            return defaultValue
        }
        guard let number = Int(text), range.contains(number) else {
            throw RequestError(
                .invalidInput,
                "query parameter \(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
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
