import CustosAuth
import CustosCore
import Hummingbird
import HummingbirdAuth

/// The request context of every Custos HTTP process: Hummingbird's core context plus the authenticated caller.
///
/// The identity is nil on public routes (health, metrics, OpenAPI) and set by a route group's authenticator
/// everywhere else.
public struct CustosRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: Caller?
    /// The identity token (JWT) that came with the API key, on the routes that read one.
    public var identityToken: IdentityToken?
    /// The peer's IP address (the connection's, not a header's), for limits per client address.
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        identityToken = nil
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The caller, which every route behind an authenticator has.
    ///
    /// Throws an internal failure instead of answering when a route was mounted outside its group, so such a
    /// mistake can never serve an unauthenticated request.
    public func requireCaller() throws(RequestError) -> Caller {
        guard let identity else { throw Caller.missing }
        return identity
    }

    /// The tenant of the API key that authenticated the request.
    public func requireTenantKey() throws(RequestError) -> Caller.TenantKey {
        try requireCaller().requireTenantKey()
    }
}
