import CustosCore
import CustosServer
import Hummingbird

/// Which tenants a gateway serves, and how a request names its tenant.
///
/// A *dedicated* gateway serves one tenant, whatever the request's host. A *pooled* gateway serves every tenant
/// of the pooled plans: a request names its tenant by host name, `<tenant>.<domain>` (locally
/// `acme.localhost`, which curl and browsers resolve to the loopback address, RFC 6761 §6.3), and where no host
/// name can be used, by its API key alone. The Integration Services paths are the same either way.
public enum GatewayTenancy: Sendable, Equatable {
    /// One tenant's own gateway.
    case dedicated(TenantID)
    /// Many tenants' gateway, routed by host names below `domain`.
    case pooled(domain: String)

    /// Whether it serves many tenants.
    var isPooled: Bool {
        if case .pooled = self { return true }
        return false
    }

    /// The tenant the request's host names, or nil when it names none: the host is not below the domain (an
    /// address, `localhost` itself), or this gateway is dedicated.
    func hostTenant(_ request: Request) throws(RequestError) -> TenantID? {
        guard case .pooled(let domain) = self, let host = request.head.authority else {
            return nil
        }
        return try Self.tenant(inHost: host, domain: domain)
    }

    /// The tenant named by `host` (with or without a port) below `domain`; a name below the domain that is not
    /// a tenant id is a 404, as no tenant can be served there.
    static func tenant(inHost host: String, domain: String) throws(RequestError) -> TenantID? {
        var name = Substring(host.lowercased())
        if let colon = name.lastIndex(of: ":"), !name.hasSuffix("]") { name = name[..<colon] }
        if name.hasSuffix(".") { name = name.dropLast() }
        let suffix = "." + domain.lowercased()
        guard name.hasSuffix(suffix) else { return nil }
        let label = name.dropLast(suffix.count)
        guard let tenant = TenantID(String(label)) else {
            throw RequestError(.notFound, "no tenant is served at \(String(label.prefix(64))).\(domain)")
        }
        return tenant
    }

    /// Whether a key of `tenant` may be used on this request: on a dedicated gateway only its tenant's keys, on
    /// a pooled one a key of the tenant the host names, or any tenant's key when the host names none.
    func admits(_ tenant: TenantID, _ request: Request) throws(RequestError) -> Bool {
        switch self {
        case .dedicated(let served): return served == tenant
        case .pooled: return try hostTenant(request).map { $0 == tenant } ?? true
        }
    }

    /// The tenant of a request that carries no credential (the public identity routes): the dedicated one, or
    /// the one the host names.
    func publicTenant(_ request: Request) throws(RequestError) -> TenantID {
        switch self {
        case .dedicated(let served): return served
        case .pooled(let domain):
            guard let tenant = try hostTenant(request) else {
                throw RequestError(
                    .notFound, "this gateway serves many tenants: name one in the host, <tenant>.\(domain)")
            }
            return tenant
        }
    }
}
