import CustosCore
import HTTPTypes
import Hummingbird

/// Who the gateway says made a relayed request (`X-Custos-Caller`, and `X-Custos-Role` where it looked the role
/// up), after it authenticated the API key and, on JWT routes, the identity token, and after the policies allowed
/// the request.
///
/// The headers are trusted because only holders of the service token reach a worker.
public struct RelayedCaller: Sendable, Equatable {
    /// The DID of the identity whose token came with the request, if any.
    public let did: String?
    /// The identity's current role (`Admin`, `Manager` or `User`), when the gateway sent it.
    public let role: String?

    /// The header naming the caller.
    public static let header = "X-Custos-Caller"
    /// The header naming the caller's role.
    public static let roleHeader = "X-Custos-Role"

    /// Parses `identity <did>` or `key`, and the role.
    public init(header: String?, role: String? = nil) throws(RequestError) {
        switch header {
        case "key": did = nil
        case let value? where value.hasPrefix("identity "): did = String(value.dropFirst("identity ".count))
        default: throw RequestError(.invalidInput, "\(Self.header) must be `key` or `identity <did>`")
        }
        self.role = role
    }

    /// The caller of a relayed request.
    public init(_ request: Request) throws(RequestError) {
        try self.init(
            header: request.headers[HTTPField.Name(Self.header)!],
            role: request.headers[HTTPField.Name(Self.roleHeader)!])
    }

    /// A caller, for tests and internal use.
    public init(did: String?, role: String? = nil) {
        self.did = did
        self.role = role
    }

    /// The caller's DID, or a 401 when the request came with an API key only.
    public func requireIdentity() throws(RequestError) -> String {
        guard let did else {
            throw RequestError(
                .unauthenticated, "not authenticated: this route needs an identity's JWT beside the API key")
        }
        return did
    }

    /// Whether the caller is an identity with the Admin role.
    public var isAdmin: Bool { role == "Admin" }

    /// The value of `X-Custos-Caller`.
    public var headerValue: String { did.map { "identity " + $0 } ?? "key" }
}
