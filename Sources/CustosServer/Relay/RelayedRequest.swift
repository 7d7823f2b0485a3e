import CustosCore
import Foundation
import Hummingbird
import NIOCore

/// What the routes a worker serves for a gateway's relay have in common: the tenant of the path, path parameters,
/// strictly parsed bodies, and the Integration Services forms of answers.
public enum RelayedRequest {
    /// The tenant the path names (`:tenant`).
    public static func tenant(_ context: CustosRequestContext) throws(RequestError) -> TenantID {
        guard let text = context.parameters.get("tenant"), let tenant = TenantID(text) else {
            throw RequestError(.invalidInput, "the path names no valid tenant")
        }
        return tenant
    }

    /// A path parameter, percent-decoded (DIDs are often sent with `:` encoded).
    public static func parameter(_ name: String, _ context: CustosRequestContext) throws(RequestError) -> String {
        guard let raw = context.parameters.get(name) else { throw RequestError(.invalidInput, "missing \(name)") }
        let value = raw.removingPercentEncoding ?? raw
        try refuseNUL(value, name)
        return value
    }

    /// PostgreSQL text cannot hold U+0000, and no identifier, name or claim needs it: refused with a reason
    /// instead of failing in the database.
    public static func refuseNUL(_ text: some StringProtocol, _ name: String) throws(RequestError) {
        guard !text.unicodeScalars.contains("\u{0}") else {
            throw RequestError(.invalidInput, "\(name) must not contain U+0000")
        }
    }

    /// The body, parsed strictly, with no U+0000 in any string or member name.
    public static func body(_ request: inout Request, limit: Int) async throws -> JSONValue {
        let body = try await request.strictJSONBody(limit: limit)
        try refuseNUL(in: body, at: "body")
        return body
    }

    /// Refuses U+0000 anywhere in a JSON value, naming where.
    public static func refuseNUL(in value: JSONValue, at path: String) throws(RequestError) {
        switch value {
        case .string(let text): try refuseNUL(text, path)
        case .array(let items):
            for (index, item) in items.enumerated() { try refuseNUL(in: item, at: "\(path)[\(index)]") }
        case .object(let members):
            for (name, member) in members {
                try refuseNUL(name, path + " member names")
                try refuseNUL(in: member, at: path + "." + name)
            }
        default: break
        }
    }

    /// A query flag: absent or `false` is false, `true` is true, anything else a 400.
    public static func flag(_ request: Request, _ name: String) throws(RequestError) -> Bool {
        switch request.uri.queryParameters[Substring(name)] {
        case nil, "false": false
        case "true": true
        default: throw RequestError(.invalidInput, "\(name) must be true or false")
        }
    }

    /// A JSON answer in RFC 8785 form.
    public static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: try JCS.canonicalBytes(value))))
    }

    /// The text answers of Integration Services (`res.sendStatus`): `OK`, `Created`.
    public static func text(_ status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: status == .created ? "Created" : "OK")))
    }

    /// The empty 200 of Integration Services (`res.status(200).send()`).
    public static var empty: Response { Response(status: .ok) }
}
