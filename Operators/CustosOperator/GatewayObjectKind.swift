/// The kinds of object the operator makes for a tenant.
public enum GatewayObjectKind: String, Sendable, CaseIterable, Comparable {
    case deployment = "Deployment"
    case service = "Service"
    case ingress = "Ingress"

    /// The `apiVersion` of its objects.
    public var apiVersion: String {
        switch self {
        case .deployment: "apps/v1"
        case .service: "v1"
        case .ingress: "networking.k8s.io/v1"
        }
    }

    public static func < (lhs: GatewayObjectKind, rhs: GatewayObjectKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
