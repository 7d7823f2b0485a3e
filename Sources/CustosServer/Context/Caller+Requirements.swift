import CustosAuth
import CustosCore

extension Caller {
    /// What a route reached without an authenticated caller throws: an internal failure rather than an answer,
    /// so a route mounted outside its group can never serve an unauthenticated request.
    static let missing = RequestError(.internalFailure, "route reached without an authenticated caller")

    /// The tenant key this caller authenticated with, or 403 for any other kind of caller.
    public func requireTenantKey() throws(RequestError) -> TenantKey {
        guard case .tenantKey(let key) = self else {
            throw RequestError(.forbidden, "this route is for tenant API keys")
        }
        return key
    }
}
