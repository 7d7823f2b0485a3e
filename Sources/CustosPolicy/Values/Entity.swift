/// An entity: its id, attributes and parents.
public struct Entity: Sendable {
    /// The entity's id.
    public let uid: EntityUID
    /// Its attributes.
    public let attributes: [String: Value]
    /// Its direct parents.
    public let parents: Set<EntityUID>

    /// Creates an entity.
    public init(uid: EntityUID, attributes: [String: Value] = [:], parents: Set<EntityUID> = []) {
        self.uid = uid
        self.attributes = attributes
        self.parents = parents
    }
}
