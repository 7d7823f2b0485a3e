import CustosCore
import Hummingbird

/// Reads every body of a route group strictly before a generated handler decodes it: media type (415), size
/// (413), duplicate keys, lone surrogates, trailing data and numbers a double cannot hold (400), and `null`
/// anywhere (400: absent members take their defaults, a `null` is never silently read as absent), and U+0000 in
/// any string or member name (400: no field of these routes has a use for it, and PostgreSQL's text refuses it).
///
/// Generated decoders reject unknown members themselves (`additionalProperties: false` in the document) but are
/// lenient about the rest; the body they then decode is these same bytes.
public struct StrictJSONBodyMiddleware: RouterMiddleware {
    public typealias Context = CustosRequestContext
    private let limit: Int

    /// Creates the middleware for bodies of at most `limit` bytes.
    public init(limit: Int) { self.limit = limit }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var request = request
        guard request.head.announcesBody else { return try await next(request, context) }
        let body = try await request.strictJSONBody(limit: limit)
        if let path = Self.firstNull(in: body, at: "body") {
            throw RequestError(.invalidInput, "\(path) must not be null; leave it out to use the default")
        }
        try RelayedRequest.refuseNUL(in: body, at: "body")
        return try await next(request, context)
    }

    static func firstNull(in value: JSONValue, at path: String) -> String? {
        switch value {
        case .null: return path
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let found = firstNull(in: item, at: "\(path)[\(index)]") { return found }
            }
        case .object(let members):
            for name in members.keys.sorted() {
                if let found = firstNull(in: members[name]!, at: path == "body" ? name : "\(path).\(name)") {
                    return found
                }
            }
        default: break
        }
        return nil
    }
}
