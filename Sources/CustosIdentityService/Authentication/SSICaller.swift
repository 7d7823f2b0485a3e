import CustosCore

/// Who the gateway says made a forwarded request (`X-Custos-Caller`), after it authenticated the API key and,
/// on JWT routes, the identity token, and after the policies allowed the request.
///
/// The header is trusted because only holders of the service token reach the worker.
struct SSICaller: Sendable, Equatable {
    /// The DID of the identity whose token came with the request, if any.
    let did: String?

    static let header = "X-Custos-Caller"

    /// `identity <did>` or `key`.
    init(header: String?) throws(RequestError) {
        switch header {
        case "key": did = nil
        case let value? where value.hasPrefix("identity "): did = String(value.dropFirst("identity ".count))
        default: throw RequestError(.invalidInput, "\(Self.header) must be `key` or `identity <did>`")
        }
    }

    init(did: String?) { self.did = did }

    var headerValue: String { did.map { "identity " + $0 } ?? "key" }
}
