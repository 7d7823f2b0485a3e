import CustosCore

/// What the API server holds under the names of one tenant's objects, as last read.
public struct ObservedObjects: Sendable, Equatable {
    /// Each kind's object, when one exists.
    public var objects: [GatewayObjectKind: JSONValue]

    /// Observed objects.
    public init(_ objects: [GatewayObjectKind: JSONValue] = [:]) {
        self.objects = objects
    }

    /// The object of `kind`, if any.
    public subscript(kind: GatewayObjectKind) -> JSONValue? {
        get { objects[kind] }
        set { objects[kind] = newValue }
    }
}
