/// A kind of namespaced object as the API addresses it: group, version and plural resource name.
public struct KubernetesResource: Sendable, Hashable, CustomStringConvertible {
    /// The API group; empty for the core group (`/api/v1`).
    public let group: String
    /// The version, e.g. `v1`.
    public let version: String
    /// The plural resource name, e.g. `deployments`.
    public let plural: String
    /// The `kind` of its objects, e.g. `Deployment`.
    public let kind: String

    /// A resource; `group` empty for the core group.
    public init(group: String, version: String, plural: String, kind: String) {
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
    }

    /// `apps/v1`, or `v1` for the core group: the `apiVersion` of its objects.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var description: String { group.isEmpty ? "\(plural).\(version)" : "\(plural).\(version).\(group)" }

    /// The path of the collection in `namespace`, or of the object `name` and its `subresource`.
    ///
    /// Names are checked to be DNS-1123 subdomains so that no name can reach another path (`..`, `/`, `?`).
    public func path(namespace: String, name: String? = nil, subresource: String? = nil) throws(KubernetesError)
        -> String
    {
        let prefix = group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
        var path = "\(prefix)/namespaces/\(try Self.checked(namespace))/\(plural)"
        if let name { path += "/\(try Self.checked(name))" }
        if let subresource { path += "/\(try Self.checked(subresource))" }
        return path
    }

    static func checked(_ name: String) throws(KubernetesError) -> String {
        let allowed = name.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
        }
        guard allowed, !name.isEmpty, name.utf8.count <= 253, !name.hasPrefix("."), !name.contains("..") else {
            throw .configuration("\"\(name.prefix(80))\" is not a valid object or namespace name")
        }
        return name
    }

    /// `apps/v1` Deployments.
    public static let deployments = KubernetesResource(
        group: "apps", version: "v1", plural: "deployments", kind: "Deployment")
    /// Core `v1` Services.
    public static let services = KubernetesResource(group: "", version: "v1", plural: "services", kind: "Service")
    /// Core `v1` Secrets.
    public static let secrets = KubernetesResource(group: "", version: "v1", plural: "secrets", kind: "Secret")
    /// `networking.k8s.io/v1` Ingresses.
    public static let ingresses = KubernetesResource(
        group: "networking.k8s.io", version: "v1", plural: "ingresses", kind: "Ingress")
    /// `coordination.k8s.io/v1` Leases.
    public static let leases = KubernetesResource(
        group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease")
}
