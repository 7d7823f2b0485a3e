import ArgumentParser

/// `custos-operator`: runs dedicated tenants' gateways on Kubernetes.
@main
struct CustosOperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custos-operator",
        abstract:
            "The Custos Kubernetes operator: a gateway Deployment, Service and Ingress rule per dedicated tenant.",
        discussion: """
            `run` (the default) reconciles the CustosTenant resources (custos.dev/v1alpha1) of one namespace and \
            creates, updates and releases them from the control plane's dedicated gateways. `render` prints the \
            objects the reconciler would create for CustosTenant files, without any cluster. Operators/README.md \
            has the details.
            """,
        subcommands: [Run.self, Render.self],
        defaultSubcommand: Run.self
    )
}
