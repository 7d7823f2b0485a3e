import CustosCore
import CustosOperator
import Foundation

/// Shared inputs: the gateway template the chart renders for ci/operator-values.yaml, CustosTenants, objects as
/// the API server would return them.
enum Fixtures {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let namespace = "custos"
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    static func json(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: golden.appendingPathComponent(name))))
    }

    static func template() throws -> GatewayTemplate {
        try GatewayTemplate(object: try json("gateway-template.json"))
    }

    static func reconciler() throws -> Reconciler {
        Reconciler(manifests: GatewayManifests(template: try template(), namespace: namespace))
    }

    static func tenant(
        _ name: String = "acme", tenantId: String? = nil, namespace: String = Fixtures.namespace,
        spec extra: [String: JSONValue] = [:], finalizers: [String] = [], deleting: Bool = false,
        annotations: [String: String] = [:], labels: [String: String] = [:], status: JSONValue? = nil,
        generation: Int = 1
    ) throws -> CustosTenant {
        var spec: [String: JSONValue] = ["tenantId": .string(tenantId ?? name), "plan": "dedicated"]
        for (key, value) in extra { spec[key] = value }
        var metadata: [String: JSONValue] = [
            "name": .string(name), "namespace": .string(namespace), "uid": .string("5f0c-uid-\(name)"),
            "resourceVersion": "100", "generation": .number(Double(generation)),
            "finalizers": .array(finalizers.map { .string($0) }),
            "annotations": .object(annotations.mapValues { .string($0) }),
            "labels": .object(labels.mapValues { .string($0) }),
        ]
        if deleting { metadata["deletionTimestamp"] = "2026-05-28T20:26:40Z" }
        var object: [String: JSONValue] = [
            "apiVersion": "custos.dev/v1alpha1", "kind": "CustosTenant", "metadata": .object(metadata),
            "spec": .object(spec),
        ]
        if let status { object["status"] = status }
        return try CustosTenant(object: .object(object))
    }

    /// `object` as the API server stores it: a resourceVersion, a generation, defaults and a status added.
    static func stored(_ object: JSONValue, resourceVersion: String = "7", availableReplicas: Int? = nil) -> JSONValue {
        var metadata = object["metadata"]!
        metadata = metadata.setting("resourceVersion", to: .string(resourceVersion))
        metadata = metadata.setting("generation", to: 1)
        metadata = metadata.setting("creationTimestamp", to: "2026-05-28T20:00:00Z")
        var result = object.setting("metadata", to: metadata)
        if object["kind"] == "Deployment" {
            var spec = object["spec"]!
            spec = spec.setting("progressDeadlineSeconds", to: 600)
            result = result.setting("spec", to: spec)
            let replicas = availableReplicas ?? object["spec"]?["replicas"]?.intValue ?? 1
            result = result.setting(
                "status", to: ["observedGeneration": 1, "availableReplicas": .number(Double(replicas))])
        }
        if object["kind"] == "Service" {
            result = result.setting("spec", to: object["spec"]!.setting("clusterIP", to: "10.96.0.17"))
        }
        return result
    }

    /// What a fresh reconciliation creates, by kind.
    static func created(_ actions: [ReconcileAction]) -> [GatewayObjectKind: JSONValue] {
        var objects: [GatewayObjectKind: JSONValue] = [:]
        for action in actions {
            if case .create(let kind, let object) = action { objects[kind] = object }
        }
        return objects
    }
}
