import CustosCore

/// One entry of `status.conditions`, in the shape of `metav1.Condition`.
public struct TenantCondition: Sendable, Equatable {
    /// `Ready`: the gateway runs as the spec says. Its reason tells why not.
    public static let ready = "Ready"

    /// The condition's type, e.g. `Ready`.
    public var type: String
    /// `True`, `False` or `Unknown`.
    public var status: String
    /// A CamelCase reason, e.g. `InvalidSpec`.
    public var reason: String
    /// For people.
    public var message: String
    /// When `status` last changed (RFC 3339).
    public var lastTransitionTime: String
    /// The generation this was computed for.
    public var observedGeneration: Int

    /// A condition.
    public init(
        type: String, status: String, reason: String, message: String, lastTransitionTime: String,
        observedGeneration: Int
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.observedGeneration = observedGeneration
    }

    init?(object: JSONValue) {
        guard let type = object["type"]?.stringValue, let status = object["status"]?.stringValue else { return nil }
        self.init(
            type: type, status: status, reason: object["reason"]?.stringValue ?? "",
            message: object["message"]?.stringValue ?? "",
            lastTransitionTime: object["lastTransitionTime"]?.stringValue ?? "",
            observedGeneration: object["observedGeneration"]?.intValue ?? 0)
    }

    var object: JSONValue {
        [
            "type": .string(type), "status": .string(status), "reason": .string(reason), "message": .string(message),
            "lastTransitionTime": .string(lastTransitionTime),
            "observedGeneration": .number(Double(observedGeneration)),
        ]
    }
}
