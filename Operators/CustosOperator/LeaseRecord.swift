import CustosCore
import Foundation

/// The fields of a `coordination.k8s.io/v1` Lease that leader election reads and writes.
public struct LeaseRecord: Sendable, Equatable {
    /// Who holds it; `nil` or empty: nobody.
    public var holderIdentity: String?
    /// How long a holder's claim lasts after its last renewal.
    public var leaseDurationSeconds: Int
    /// When the current holder took it.
    public var acquireTime: Date?
    /// When the holder last renewed.
    public var renewTime: Date?
    /// How often it changed hands.
    public var leaseTransitions: Int
    /// `metadata.resourceVersion`, for a conflict-safe replacement; `nil` for a Lease not yet created.
    public var resourceVersion: String?

    /// A record.
    public init(
        holderIdentity: String?, leaseDurationSeconds: Int, acquireTime: Date?, renewTime: Date?,
        leaseTransitions: Int, resourceVersion: String?
    ) {
        self.holderIdentity = holderIdentity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.acquireTime = acquireTime
        self.renewTime = renewTime
        self.leaseTransitions = leaseTransitions
        self.resourceVersion = resourceVersion
    }

    /// Reads a Lease object.
    public init(object: JSONValue) {
        let spec = object["spec"] ?? .object([:])
        holderIdentity = spec["holderIdentity"]?.stringValue
        leaseDurationSeconds = spec["leaseDurationSeconds"]?.intValue ?? 0
        acquireTime = spec["acquireTime"]?.stringValue.flatMap(Timestamp.parse)
        renewTime = spec["renewTime"]?.stringValue.flatMap(Timestamp.parse)
        leaseTransitions = spec["leaseTransitions"]?.intValue ?? 0
        resourceVersion = object["metadata"]?["resourceVersion"]?.stringValue
    }

    /// The Lease object `name` in `namespace` holding this record.
    public func object(name: String, namespace: String) -> JSONValue {
        var metadata: [String: JSONValue] = ["name": .string(name), "namespace": .string(namespace)]
        if let resourceVersion { metadata["resourceVersion"] = .string(resourceVersion) }
        var spec: [String: JSONValue] = [
            "leaseDurationSeconds": .number(Double(leaseDurationSeconds)),
            "leaseTransitions": .number(Double(leaseTransitions)),
        ]
        if let holderIdentity { spec["holderIdentity"] = .string(holderIdentity) }
        if let acquireTime { spec["acquireTime"] = .string(Self.microTime(acquireTime)) }
        if let renewTime { spec["renewTime"] = .string(Self.microTime(renewTime)) }
        return [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": .object(metadata),
            "spec": .object(spec),
        ]
    }

    /// `metav1.MicroTime`: RFC 3339 with six fraction digits, in UTC.
    static func microTime(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        let base = Timestamp.iso8601(Date(timeIntervalSince1970: seconds)).dropLast()  // without the Z
        let fraction = String(micros)
        return base + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "Z"
    }
}
