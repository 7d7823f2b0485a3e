import CustosCore

/// How a dedicated gateway's pod is made: everything the chart knows and the operator must copy (image, the
/// gateway's arguments and environment, probes, security settings), as the chart renders it into the ConfigMap
/// `<fullname>-operator` (`gateway-template.json`). The pooled gateway's Deployment is built from the same values,
/// so the two stay alike by construction.
public struct GatewayTemplate: Sendable, Equatable {
    /// The release's instance label (`app.kubernetes.io/instance`).
    public var instance: String
    /// Prefix of every object's name: `<prefix><tenant>`. At most ``maxPrefixLength`` characters, so that the
    /// longest tenant id (32) still gives a name of at most 63.
    public var namePrefix: String
    /// The container image.
    public var image: String
    /// `IfNotPresent`, `Always` or `Never`.
    public var imagePullPolicy: String
    /// The pod's `imagePullSecrets`.
    public var imagePullSecrets: [JSONValue]
    /// The container port (`http`).
    public var port: Int
    /// The arguments after `custos gateway --tenant <id>`: the pooled gateway's, without `--pooled`, `--domain`
    /// and `--concurrent-requests` (which only a pooled gateway takes).
    public var arguments: [String]
    /// The container's `env`: the gateway role's, secrets through `secretKeyRef` only.
    public var env: [JSONValue]
    /// `startupProbe`, `livenessProbe` and `readinessProbe`, complete (with `httpGet`).
    public var probes: [String: JSONValue]
    /// The container's `securityContext`.
    public var securityContext: JSONValue
    /// The pod's `securityContext`.
    public var podSecurityContext: JSONValue
    /// The container's `volumeMounts` (`/tmp`, the plans file).
    public var volumeMounts: [JSONValue]
    /// The pod's `volumes`.
    public var volumes: [JSONValue]
    /// The pod's service account (its token is not mounted).
    public var serviceAccountName: String
    /// `terminationGracePeriodSeconds`.
    public var terminationGracePeriodSeconds: Int
    /// Resources when the spec names none.
    public var defaultResources: JSONValue
    /// Replicas when the spec names none.
    public var defaultReplicas: Int
    /// Annotations and labels added to every pod.
    public var podAnnotations: [String: String]
    /// Labels added to every pod (never the selector's).
    public var podLabels: [String: String]
    /// `nodeSelector`, `affinity`, `tolerations` of the pods (absent when empty).
    public var scheduling: [String: JSONValue]
    /// Tenants are reached at `<tenant>.<domain>`.
    public var domain: String
    /// `http` or `https`: how clients reach the Ingress.
    public var publicScheme: String
    /// The public port, when not the scheme's default.
    public var publicPort: Int?
    /// Whether to make an Ingress rule per tenant.
    public var ingressEnabled: Bool
    /// `spec.ingressClassName`; empty: none.
    public var ingressClassName: String
    /// The Ingress's annotations.
    public var ingressAnnotations: [String: String]
    /// The Ingress's `tls` entries (a wildcard certificate for `*.<domain>` covers every tenant).
    public var ingressTLS: [JSONValue]

    /// The longest ``namePrefix``: 63 - 32.
    public static let maxPrefixLength = 31

    /// Reads the template (the JSON the chart renders).
    public init(object: JSONValue) throws(OperatorError) {
        let path = "gateway template"
        instance = try object.requiredString("instance", in: path)
        namePrefix = try object.requiredString("namePrefix", in: path)
        guard namePrefix.utf8.count <= Self.maxPrefixLength, namePrefix.hasSuffix("-"),
            Self.isDNSLabelPrefix(namePrefix)
        else {
            throw OperatorError(
                "\(path).namePrefix must be at most \(Self.maxPrefixLength) characters of a-z, 0-9 and '-', starting "
                    + "with a letter and ending with '-'")
        }
        image = try object.requiredString("image", in: path)
        imagePullPolicy = try object.requiredString("imagePullPolicy", in: path)
        imagePullSecrets = try object.optionalArray("imagePullSecrets", in: path)
        guard let port = object["port"]?.intValue, (1...65535).contains(port) else {
            throw OperatorError("\(path).port must be a port number")
        }
        self.port = port
        let arguments = try object.optionalArray("arguments", in: path)
        guard arguments.allSatisfy({ $0.stringValue != nil }) else {
            throw OperatorError("\(path).arguments must be strings")
        }
        self.arguments = arguments.compactMap(\.stringValue)
        for forbidden in ["--tenant", "--pooled", "--domain", "--concurrent-requests"]
        where self.arguments.contains(forbidden) {
            throw OperatorError("\(path).arguments must not hold \(forbidden): the operator sets the tenancy")
        }
        env = try object.optionalArray("env", in: path)
        probes = try object.optionalObject("probes", in: path)
        for probe in ["startupProbe", "livenessProbe", "readinessProbe"] where probes[probe]?.objectValue == nil {
            throw OperatorError("\(path).probes.\(probe) must be an object")
        }
        securityContext = .object(try object.optionalObject("securityContext", in: path))
        podSecurityContext = .object(try object.optionalObject("podSecurityContext", in: path))
        volumeMounts = try object.optionalArray("volumeMounts", in: path)
        volumes = try object.optionalArray("volumes", in: path)
        serviceAccountName = try object.requiredString("serviceAccountName", in: path)
        terminationGracePeriodSeconds = object["terminationGracePeriodSeconds"]?.intValue ?? 30
        defaultResources = .object(try object.optionalObject("resources", in: path))
        guard let replicas = object["replicas"]?.intValue, replicas >= 1 else {
            throw OperatorError("\(path).replicas must be a whole number of at least 1")
        }
        defaultReplicas = replicas
        podAnnotations = try object.stringMap("podAnnotations", in: path)
        podLabels = try object.stringMap("podLabels", in: path)
        var scheduling: [String: JSONValue] = [:]
        for key in ["nodeSelector", "affinity"] {
            let value = try object.optionalObject(key, in: path)
            if !value.isEmpty { scheduling[key] = .object(value) }
        }
        let tolerations = try object.optionalArray("tolerations", in: path)
        if !tolerations.isEmpty { scheduling["tolerations"] = .array(tolerations) }
        self.scheduling = scheduling
        domain = try object.requiredString("domain", in: path)
        guard !domain.isEmpty, !domain.hasPrefix("."), !domain.contains(":"), !domain.contains("/") else {
            throw OperatorError("\(path).domain must be a host name")
        }
        publicScheme = try object.requiredString("publicScheme", in: path)
        guard publicScheme == "http" || publicScheme == "https" else {
            throw OperatorError("\(path).publicScheme must be http or https")
        }
        publicPort = object["publicPort"]?.intValue
        let ingress = JSONValue.object(try object.optionalObject("ingress", in: path))
        ingressEnabled = ingress["enabled"]?.boolValue ?? false
        ingressClassName = ingress["className"]?.stringValue ?? ""
        ingressAnnotations = try ingress.stringMap("annotations", in: "\(path).ingress")
        ingressTLS = try ingress.optionalArray("tls", in: "\(path).ingress")
    }

    static func isDNSLabelPrefix(_ text: String) -> Bool {
        guard let first = text.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }
}
