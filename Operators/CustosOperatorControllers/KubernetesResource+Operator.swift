import CustosKubernetes
import CustosOperator

extension KubernetesResource {
    /// `custos.dev/v1alpha1` CustosTenants.
    public static let custosTenants = KubernetesResource(
        group: "custos.dev", version: "v1alpha1", plural: "custostenants", kind: CustosTenant.kind)

    /// The resource of a kind of gateway object.
    public static func of(_ kind: GatewayObjectKind) -> KubernetesResource {
        switch kind {
        case .deployment: .deployments
        case .service: .services
        case .ingress: .ingresses
        }
    }
}
