import CustosCore

/// The objects of one dedicated tenant's gateway, built from the gateway template: a Deployment running
/// `custos gateway --tenant <id>`, a Service in front of it, and an Ingress rule for `<tenant>.<domain>`, each
/// owned by the CustosTenant (so that the garbage collector removes them with it).
public struct GatewayManifests: Sendable {
    /// The chart's gateway conventions.
    public let template: GatewayTemplate
    /// The namespace of every object.
    public let namespace: String

    /// The `app.kubernetes.io/component` of dedicated gateways; the pooled gateway's is `gateway`, so the
    /// pooled Service never selects a dedicated pod.
    public static let component = "dedicated-gateway"
    /// The label naming the tenant.
    public static let tenantLabel = "custos.dev/tenant"

    /// Manifests for `template` in `namespace`.
    public init(template: GatewayTemplate, namespace: String) {
        self.template = template
        self.namespace = namespace
    }

    /// The name of every object of `tenant`: `<prefix><tenant>`, at most 63 characters.
    public func name(_ tenant: TenantID) -> String { template.namePrefix + tenant.rawValue }

    /// The host name the tenant is reached at.
    public func host(_ tenant: TenantID) -> String { "\(tenant.rawValue).\(template.domain)" }

    /// The tenant's public gateway URL.
    public func gatewayURL(_ tenant: TenantID) -> String {
        "\(template.publicScheme)://\(host(tenant))" + (template.publicPort.map { ":\($0)" } ?? "")
    }

    /// Labels that select the tenant's pods.
    public func selector(_ tenant: TenantID) -> [String: String] {
        [
            "app.kubernetes.io/name": "custos", "app.kubernetes.io/instance": template.instance,
            "app.kubernetes.io/component": Self.component, Self.tenantLabel: tenant.rawValue,
        ]
    }

    func labels(_ tenant: TenantID) -> [String: String] {
        selector(tenant).merging([
            "app.kubernetes.io/part-of": "custos", "app.kubernetes.io/managed-by": "custos-operator",
        ]) {
            first, _ in first
        }
    }

    /// The owner reference to the CustosTenant: the controller, blocking its deletion until the object is gone.
    public static func ownerReference(_ owner: CustosTenant) -> JSONValue {
        [
            "apiVersion": .string(CustosTenant.apiVersion), "kind": .string(CustosTenant.kind),
            "name": .string(owner.name), "uid": .string(owner.uid), "controller": true, "blockOwnerDeletion": true,
        ]
    }

    func metadata(_ tenant: TenantID, owner: CustosTenant, annotations: [String: String] = [:]) -> JSONValue {
        var metadata: [String: JSONValue] = [
            "name": .string(name(tenant)), "namespace": .string(namespace), "labels": labels(tenant).json,
            "ownerReferences": [Self.ownerReference(owner)],
        ]
        if !annotations.isEmpty { metadata["annotations"] = annotations.json }
        return .object(metadata)
    }

    /// Every object, in the order they are created.
    public func objects(_ tenant: TenantID, spec: CustosTenantSpec, owner: CustosTenant) -> [GatewayObjectKind:
        JSONValue]
    {
        var objects: [GatewayObjectKind: JSONValue] = [
            .deployment: deployment(tenant, spec: spec, owner: owner), .service: service(tenant, owner: owner),
        ]
        if template.ingressEnabled { objects[.ingress] = ingress(tenant, owner: owner) }
        return objects
    }

    /// The Deployment: the chart's gateway container with `--tenant <id>` in place of `--pooled --domain`.
    public func deployment(_ tenant: TenantID, spec: CustosTenantSpec, owner: CustosTenant) -> JSONValue {
        var container: [String: JSONValue] = [
            "name": "gateway",
            "image": .string(template.image),
            "imagePullPolicy": .string(template.imagePullPolicy),
            "command": ["custos"],
            "args": .array((["gateway", "--tenant", tenant.rawValue] + template.arguments).map { .string($0) }),
            "env": .array(template.env),
            "ports": [["name": "http", "containerPort": .number(Double(template.port)), "protocol": "TCP"]],
            "resources": spec.resources ?? template.defaultResources,
            "securityContext": template.securityContext,
            "volumeMounts": .array(template.volumeMounts),
        ]
        for (probe, value) in template.probes { container[probe] = value }
        var pod: [String: JSONValue] = [
            "serviceAccountName": .string(template.serviceAccountName),
            // A gateway never calls the Kubernetes API.
            "automountServiceAccountToken": false,
            "enableServiceLinks": false,
            "terminationGracePeriodSeconds": .number(Double(template.terminationGracePeriodSeconds)),
            "securityContext": template.podSecurityContext,
            "containers": [.object(container)],
            "volumes": .array(template.volumes),
        ]
        if !template.imagePullSecrets.isEmpty { pod["imagePullSecrets"] = .array(template.imagePullSecrets) }
        for (key, value) in template.scheduling { pod[key] = value }
        var podMetadata: [String: JSONValue] = [
            "labels": template.podLabels.merging(selector(tenant)) { _, selector in selector }.json
        ]
        if !template.podAnnotations.isEmpty { podMetadata["annotations"] = template.podAnnotations.json }
        return [
            "apiVersion": .string(GatewayObjectKind.deployment.apiVersion),
            "kind": .string(GatewayObjectKind.deployment.rawValue),
            "metadata": metadata(tenant, owner: owner),
            "spec": [
                "replicas": .number(Double(spec.replicas ?? template.defaultReplicas)),
                "revisionHistoryLimit": 5,
                "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 0, "maxSurge": 1]],
                "selector": ["matchLabels": selector(tenant).json],
                "template": ["metadata": .object(podMetadata), "spec": .object(pod)],
            ],
        ]
    }

    /// The Service: port `http` of the tenant's pods.
    public func service(_ tenant: TenantID, owner: CustosTenant) -> JSONValue {
        [
            "apiVersion": .string(GatewayObjectKind.service.apiVersion),
            "kind": .string(GatewayObjectKind.service.rawValue),
            "metadata": metadata(tenant, owner: owner),
            "spec": [
                "type": "ClusterIP",
                "selector": selector(tenant).json,
                "ports": [
                    [
                        "name": "http", "port": .number(Double(template.port)), "targetPort": "http",
                        "protocol": "TCP",
                    ]
                ],
            ],
        ]
    }

    /// The Ingress rule for `<tenant>.<domain>`. An exact host wins over the chart's `*.<domain>` rule, so the
    /// tenant's traffic reaches its own gateway rather than the pooled one.
    public func ingress(_ tenant: TenantID, owner: CustosTenant) -> JSONValue {
        var spec: [String: JSONValue] = [
            "rules": [
                [
                    "host": .string(host(tenant)),
                    "http": [
                        "paths": [
                            [
                                "path": "/", "pathType": "Prefix",
                                "backend": [
                                    "service": ["name": .string(name(tenant)), "port": ["name": "http"]]
                                ],
                            ]
                        ]
                    ],
                ]
            ]
        ]
        if !template.ingressClassName.isEmpty { spec["ingressClassName"] = .string(template.ingressClassName) }
        if !template.ingressTLS.isEmpty { spec["tls"] = .array(template.ingressTLS) }
        return [
            "apiVersion": .string(GatewayObjectKind.ingress.apiVersion),
            "kind": .string(GatewayObjectKind.ingress.rawValue),
            "metadata": metadata(tenant, owner: owner, annotations: template.ingressAnnotations),
            "spec": .object(spec),
        ]
    }
}
