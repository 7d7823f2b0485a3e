import CustosClients
import CustosCore
import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Reads the whole body up to `limit` bytes and parses it strictly (duplicate keys, lone surrogates and
    /// trailing garbage are rejected) so the caller learns exactly what is wrong with it.
    public mutating func strictJSONBody(limit: Int) async throws -> JSONValue {
        try await strictJSONBodyAndBytes(limit: limit).value
    }

    /// The strictly parsed body together with its bytes.
    private mutating func strictJSONBodyAndBytes(limit: Int) async throws -> (value: JSONValue, bytes: ByteBuffer) {
        try requireJSONContentType()
        let buffer: ByteBuffer
        do {
            buffer = try await collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw RequestError(.payloadTooLarge, "request body is larger than \(limit) bytes")
        }
        guard buffer.readableBytes > 0 else {
            throw RequestError(.invalidInput, "request body is empty; expected JSON")
        }
        do {
            return (try JSONParser.parse(buffer.readableBytesView), buffer)
        } catch {
            throw RequestError(.invalidInput, "request body is not valid JSON: \(error.description)")
        }
    }
}

extension Request {
    /// JSON routes accept `application/json` and `+json` media types only, so a form or text body is never read
    /// as JSON by accident (and browsers cannot post JSON cross-site without a preflight).
    public func requireJSONContentType() throws(RequestError) {
        let value = headers[.contentType] ?? ""
        // Byte-wise on the UTF-8 view: this runs on every write, and Foundation's trimming costs more than the rest.
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let mediaType = String(
            decoding: value.utf8.prefix { $0 != UInt8(ascii: ";") }.drop(while: isSpace).reversed().drop(while: isSpace)
                .reversed().map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        guard mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
        else {
            let received = value.isEmpty ? "none" : String(value.prefix(80))
            throw RequestError(
                .unsupportedMediaType, "Content-Type must be application/json (received: \(received))")
        }
    }
}

extension DecodingError {
    /// A one-line summary naming the offending field, without echoing values.
    public var summary: String {
        func path(_ context: Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "body" : path
        }
        switch self {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing field \"\(key.stringValue)\"" + (parent == "body" ? "" : " in \(parent)")
        case .typeMismatch(let type, let context): return "\(path(context)) must be of type \(type)"
        case .valueNotFound(let type, let context): return "\(path(context)) must be a \(type), not null"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "invalid body"
        }
    }

    /// A one-line summary of a parameter that could not be decoded, naming the type it must have.
    public var parameterSummary: String {
        switch self {
        case .typeMismatch(let type, _), .valueNotFound(let type, _):
            type == Int.self || type == Int64.self
                ? "an integer parameter must be written in decimal digits and fit in 64 bits"
                : "a parameter must be of type \(type)"
        case .keyNotFound(let key, _): "missing \"\(key.stringValue)\""
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "invalid parameter"
        }
    }
}
