import CustosCore

/// A `custos.dev/v1alpha1` CustosTenant as read from the API: one dedicated tenant's gateway.
public struct CustosTenant: Sendable, Equatable {
    /// `custos.dev/v1alpha1`.
    public static let apiVersion = "custos.dev/v1alpha1"
    /// `CustosTenant`.
    public static let kind = "CustosTenant"

    /// `metadata.name`; the operator requires it to equal the tenant id.
    public var name: String
    /// `metadata.namespace`.
    public var namespace: String
    /// `metadata.uid`, which owner references name.
    public var uid: String
    /// `metadata.resourceVersion`, sent back with every replacement.
    public var resourceVersion: String?
    /// `metadata.generation`: bumped by the API server at every change of the spec.
    public var generation: Int
    /// Whether `metadata.deletionTimestamp` is set: deletion was asked for and waits for the finalizers.
    public var isDeleting: Bool
    /// `metadata.finalizers`.
    public var finalizers: [String]
    /// `metadata.labels`.
    public var labels: [String: String]
    /// `metadata.annotations`.
    public var annotations: [String: String]
    /// What is wanted.
    public var spec: CustosTenantSpec
    /// What the operator last reported.
    public var status: CustosTenantStatus?
    /// The object as read, so that a replacement keeps fields this type does not model.
    public var object: JSONValue

    /// Reads a CustosTenant. Only the metadata must be well formed; the spec is read leniently so that a bad
    /// one can be refused with a status condition rather than ignored.
    public init(object: JSONValue) throws(OperatorError) {
        guard object["kind"]?.stringValue == Self.kind, object["apiVersion"]?.stringValue == Self.apiVersion else {
            throw OperatorError("not a \(Self.apiVersion) \(Self.kind)")
        }
        let metadata = object["metadata"] ?? .object([:])
        name = try metadata.requiredString("name", in: "metadata")
        namespace = metadata["namespace"]?.stringValue ?? ""
        uid = metadata["uid"]?.stringValue ?? ""
        resourceVersion = metadata["resourceVersion"]?.stringValue
        generation = metadata["generation"]?.intValue ?? 0
        isDeleting = metadata["deletionTimestamp"].map { !$0.isNull } ?? false
        finalizers = try metadata.optionalArray("finalizers", in: "metadata").compactMap(\.stringValue)
        labels = try metadata.stringMap("labels", in: "metadata")
        annotations = try metadata.stringMap("annotations", in: "metadata")
        spec = CustosTenantSpec(object: object["spec"] ?? .null)
        status = object["status"].flatMap { CustosTenantStatus(object: $0) }
        self.object = object
    }

    /// A new CustosTenant object for `spec`, as the tenant sync creates it.
    public static func newObject(
        name: String, namespace: String, spec: CustosTenantSpec, labels: [String: String]
    ) -> JSONValue {
        [
            "apiVersion": .string(apiVersion),
            "kind": .string(kind),
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": labels.json],
            "spec": spec.object,
        ]
    }

    /// The object with `finalizers` in place of its own, for a conflict-safe replacement.
    public func replacingFinalizers(_ finalizers: [String]) -> JSONValue {
        let metadata = (object["metadata"] ?? .object([:])).setting(
            "finalizers", to: .array(finalizers.map { .string($0) }))
        return object.setting("metadata", to: metadata)
    }
}
