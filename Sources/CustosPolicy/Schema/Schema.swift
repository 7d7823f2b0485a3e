/// A Cedar schema: the entity types with their attributes and parents, and the actions with the principal and
/// resource types they apply to and their context.
///
/// The supported text is Cedar's human-readable schema format without namespaces, entity tags, enumerated entity
/// types and extension types; anything else is rejected by ``init(parsing:)`` with its line and column.
public struct Schema: Sendable {
    /// An entity type.
    public struct EntityType: Sendable {
        /// The type's name.
        public let name: String
        /// The types its entities may have as parents.
        public let memberOf: [String]
        /// Its attributes.
        public let attributes: RecordType
    }

    /// An action (or an action group, when it applies to nothing).
    public struct Action: Sendable {
        /// The action's entity id, `Action::"name"`.
        public let uid: EntityUID
        /// The action groups it belongs to directly.
        public let memberOf: [EntityUID]
        /// The principal types it applies to; empty for a group.
        public let principals: [String]
        /// The resource types it applies to; empty for a group.
        public let resources: [String]
        /// The type of its context.
        public let context: RecordType
    }

    /// The entity types by name.
    public let entityTypes: [String: EntityType]
    /// The actions by id.
    public let actions: [String: Action]

    /// Parses a schema in Cedar's human-readable format.
    public init(parsing text: String) throws(PolicyError) {
        var parser = try SchemaParser(text: text)
        let (entityTypes, actions) = try parser.parse()
        self.entityTypes = entityTypes
        self.actions = actions
    }

    /// The action entities with their group hierarchy, to add to the ``Entities`` of every request.
    public var actionEntities: [Entity] {
        actions.values.sorted { $0.uid.id < $1.uid.id }.map { Entity(uid: $0.uid, parents: Set($0.memberOf)) }
    }

    /// Whether `action` is `group` or belongs to it, directly or transitively.
    public func action(_ action: String, isIn group: String) -> Bool {
        var pending = [action]
        var seen: Set<String> = []
        while let next = pending.popLast() {
            if next == group { return true }
            guard seen.insert(next).inserted, let declared = actions[next] else { continue }
            pending.append(contentsOf: declared.memberOf.map(\.id))
        }
        return false
    }

    /// Whether an entity of type `type` may be `ancestor`'s type or have it among its ancestors' types.
    public func entityType(_ type: String, mayBeIn ancestor: String) -> Bool {
        var pending = [type]
        var seen: Set<String> = []
        while let next = pending.popLast() {
            if next == ancestor { return true }
            guard seen.insert(next).inserted, let declared = entityTypes[next] else { continue }
            pending.append(contentsOf: declared.memberOf)
        }
        return false
    }
}
