import CustosCore

/// `status` of a CustosTenant, written by the operator only (through the status subresource).
public struct CustosTenantStatus: Sendable, Equatable {
    /// The conditions; the operator writes `Ready`.
    public var conditions: [TenantCondition]
    /// The `metadata.generation` the status describes.
    public var observedGeneration: Int
    /// Where the tenant's gateway is reached from outside (`<scheme>://<tenant>.<domain>`), once its objects
    /// exist.
    public var gatewayURL: String?

    /// A status.
    public init(conditions: [TenantCondition], observedGeneration: Int, gatewayURL: String?) {
        self.conditions = conditions
        self.observedGeneration = observedGeneration
        self.gatewayURL = gatewayURL
    }

    init?(object: JSONValue) {
        guard object.objectValue != nil else { return nil }
        conditions = (object["conditions"]?.arrayValue ?? []).compactMap(TenantCondition.init(object:))
        observedGeneration = object["observedGeneration"]?.intValue ?? 0
        gatewayURL = object["gatewayURL"]?.stringValue
    }

    /// The condition of `type`, if any.
    public func condition(_ type: String) -> TenantCondition? {
        conditions.first { $0.type == type }
    }

    /// The merge patch that sets this status (`gatewayURL` null removes it).
    public var patch: JSONValue {
        [
            "status": [
                "conditions": .array(conditions.map(\.object)),
                "observedGeneration": .number(Double(observedGeneration)),
                "gatewayURL": gatewayURL.map { .string($0) } ?? .null,
            ]
        ]
    }
}
