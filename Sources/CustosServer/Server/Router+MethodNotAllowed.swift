import HTTPTypes
import Hummingbird

extension Router where Context == CustosRequestContext {
    /// The methods a route can be asked with (QUERY too, the safe method with a body); HEAD is left to the server,
    /// which answers it for GET.
    static var answeredMethods: [HTTPRequest.Method] {
        [.get, .post, .put, .delete, .patch, .options, .trace, HTTPRequest.Method("QUERY")!]
    }

    /// Answers a known path asked with a method it does not serve with 405 and the `Allow` header, instead of the
    /// router's 404. Added after every route, on the shared middleware only: the answer carries nothing but the
    /// allowed methods, so it needs no credential.
    func addMethodNotAllowed() {
        let byPath = Dictionary(grouping: routes, by: { "\($0.path)" })
        for routes in byPath.values {
            let allowed = Set(routes.map(\.method))
            let allow = Self.answeredMethods.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            for method in Self.answeredMethods where !allowed.contains(method) {
                on(routes[0].path, method: method) { _, _ -> Response in
                    throw HTTPError(.methodNotAllowed, headers: [.allow: allow])
                }
            }
        }
    }
}
