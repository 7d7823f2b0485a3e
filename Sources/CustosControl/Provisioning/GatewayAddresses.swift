import Foundation

/// Where integrators reach tenants' gateways, as the control plane tells them.
public struct GatewayAddresses: Sendable, Equatable {
    /// The host of dedicated gateways: `http://<host>:<port>`.
    public var publicHost: String
    /// A pooled tenant's own URL, `{tenant}` standing for its id: by default `http://{tenant}.localhost:7000`,
    /// which curl and browsers resolve to the loopback address; behind an ingress with a wildcard name, such as
    /// `https://{tenant}.gw.example.com`.
    public var pooledTemplate: String
    /// The pooled gateways' URL without a tenant's host name, where the API key names the tenant.
    public var shared: String
    /// Where dedicated gateways run when not on this machine (on Kubernetes, one Deployment each, made by
    /// custos-operator): a dedicated tenant's URL, `{tenant}` standing for its id, such as
    /// `https://{tenant}.gw.example.com`. Nil: `http://<publicHost>:<port>`, the local provisioner's process.
    public var dedicatedTemplate: String?
    /// Where the control plane checks that a dedicated gateway is ready, `{tenant}` standing for its id, such as
    /// its Service `http://custos-gw-{tenant}:7000`. Nil: `http://127.0.0.1:<port>`.
    public var dedicatedProbeTemplate: String?

    /// Creates addresses.
    public init(publicHost: String, pooledTemplate: String, shared: String) {
        self.publicHost = publicHost
        self.pooledTemplate = pooledTemplate
        self.shared = shared
    }

    /// The addresses of a platform on one machine: dedicated gateways on `publicHost`, the pooled one on its
    /// port there and at `<tenant>.localhost`.
    public static func local(publicHost: String, pooledPort: Int) -> GatewayAddresses {
        GatewayAddresses(
            publicHost: publicHost, pooledTemplate: "http://{tenant}.localhost:\(pooledPort)",
            shared: "http://\(publicHost):\(pooledPort)")
    }

    /// A pooled tenant's URL.
    public func pooled(_ tenant: String) -> String {
        pooledTemplate.replacingOccurrences(of: "{tenant}", with: tenant)
    }

    /// A dedicated tenant's URL.
    public func dedicated(_ tenant: String, port: Int) -> String {
        dedicatedTemplate?.replacingOccurrences(of: "{tenant}", with: tenant) ?? "http://\(publicHost):\(port)"
    }

    /// Where a dedicated tenant's gateway answers `/health/ready` for the control plane.
    public func dedicatedProbe(_ tenant: String, port: Int) -> String {
        dedicatedProbeTemplate?.replacingOccurrences(of: "{tenant}", with: tenant) ?? "http://127.0.0.1:\(port)"
    }
}
