import CustosClients
import CustosCore
import HTTPTypes

/// The SSI Bridge routes of the tenant API (`/api/v0.2`, is-api.md §1.2, docs/openapi/tenant.json tag
/// `identity`), relayed to the ssi worker under `/internal/v1/tenants/{tenant}/ssi/api/v0.2`.
enum IdentityRelay {
    /// The largest body of an identity route (a presentation with several credentials).
    static let bodyLimit = 256 * 1024

    /// The 18 routes, as the tenant API document names them.
    static let routes: [(HTTPRequest.Method, String)] = [
        (.get, "authentication/prove-ownership/:id"), (.post, "authentication/prove-ownership/:id"),
        (.post, "authentication/verify-jwt"), (.post, "identities/create"), (.get, "identities/key-pair"),
        (.get, "identities/search"), (.get, "identities/identity/:id"), (.post, "identities/identity"),
        (.put, "identities/identity"), (.delete, "identities/identity/:id"),
        (.get, "verification/latest-document/:id"), (.post, "verification/trusted-roots"),
        (.get, "verification/trusted-roots"), (.delete, "verification/trusted-roots/:trustedRootId"),
        (.post, "verification/create-credential"), (.post, "verification/check-credential"),
        (.post, "verification/check-presentation"), (.post, "verification/revoke-credential"),
    ]

    /// The routes relayed to `ssi`.
    static func routes(to ssi: SSIClient) -> RelayedRoutes {
        RelayedRoutes(
            routes: routes, bodyLimit: bodyLimit,
            workerPrefix: { "/internal/v1/tenants/\($0.rawValue)/ssi/api/v0.2/" },
            forward: { try await ssi.forward($0) })
    }
}
