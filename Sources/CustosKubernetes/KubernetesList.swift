import CustosCore

/// The answer to a list: the items and the collection's resourceVersion, from which a watch continues.
public struct KubernetesList: Sendable, Equatable {
    /// The objects.
    public let items: [JSONValue]
    /// `metadata.resourceVersion` of the list.
    public let resourceVersion: String?

    /// A list.
    public init(items: [JSONValue], resourceVersion: String?) {
        self.items = items
        self.resourceVersion = resourceVersion
    }
}
