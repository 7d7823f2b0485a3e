import ArgumentParser
import CustosCore
import CustosOperator
import Foundation
import Yams

/// `custos-operator render`: the objects the reconciler would create, for checking them without a cluster.
struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the objects the reconciler would create for CustosTenant files (YAML or JSON).",
        discussion: """
            Prints one JSON object of kind List whose items are the Deployment, Service and Ingress of every \
            tenant, in file order, as a fresh reconciliation would create them. A CustosTenant without \
            metadata.uid is given \(placeholderUID) for its owner references, and one without metadata.namespace \
            the --namespace. A CustosTenant the reconciler refuses ends the command with its reason (exit 1).
            """)

    static let placeholderUID = "00000000-0000-0000-0000-000000000000"

    @OptionGroup var template: TemplateOption

    @Option(help: "The namespace the operator would manage.")
    var namespace = "custos"

    @Argument(help: "CustosTenant files.")
    var files: [String]

    func run() throws {
        let reconciler = Reconciler(manifests: GatewayManifests(template: try template.load(), namespace: namespace))
        var items: [JSONValue] = []
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read \(file)")
            }
            var object = try YAMLDocument.json(text)
            var metadata = object["metadata"] ?? .object([:])
            if metadata["uid"] == nil { metadata = metadata.setting("uid", to: .string(Self.placeholderUID)) }
            if metadata["namespace"] == nil { metadata = metadata.setting("namespace", to: .string(namespace)) }
            object = object.setting("metadata", to: metadata)
            let tenant = try CustosTenant(object: object)
            if case .failure(let refusal) = reconciler.validate(tenant) {
                throw ValidationError("\(file): refused: \(refusal.message)")
            }
            for action in reconciler.reconcile(tenant, observed: ObservedObjects(), now: Date()) {
                if case .create(_, let created) = action { items.append(created) }
            }
        }
        let list: JSONValue = ["apiVersion": "v1", "kind": "List", "items": .array(items)]
        print(list.prettyString())
    }
}
