/// The entity store a request is evaluated against, with the transitive closure of the hierarchy precomputed.
public struct Entities: Sendable {
    struct Stored: Sendable {
        let attributes: [String: Value]
        let ancestors: Set<EntityUID>
    }

    private let stored: [EntityUID: Stored]

    /// Creates a store; ancestors are computed transitively through the parents that are themselves in the store.
    ///
    /// - Throws: ``PolicyError/entities(_:)`` if two entities share an id.
    public init(_ entities: [Entity]) throws(PolicyError) {
        var direct: [EntityUID: Entity] = [:]
        for entity in entities {
            if direct.updateValue(entity, forKey: entity.uid) != nil {
                throw .entities("entity \(entity.uid) is defined twice")
            }
        }
        var result: [EntityUID: Stored] = [:]
        for (uid, entity) in direct {
            var ancestors: Set<EntityUID> = []
            var pending = Array(entity.parents)
            while let parent = pending.popLast() {
                guard ancestors.insert(parent).inserted else { continue }
                if let grand = direct[parent] { pending.append(contentsOf: grand.parents) }
            }
            result[uid] = Stored(attributes: entity.attributes, ancestors: ancestors)
        }
        stored = result
    }

    /// Parses Cedar's JSON entity format: `[{"uid": {"type", "id"}, "attrs": {...}, "parents": [{...}]}]`.
    public init(json: String) throws(PolicyError) {
        guard case .array(let items) = try JSONValue.parse(json, what: "the entities document") else {
            throw .entities("expected a JSON array of entities")
        }
        var entities: [Entity] = []
        for (index, item) in items.enumerated() {
            guard case .object(let fields) = item, let uidJSON = fields["uid"] else {
                throw .entities("entity \(index): expected an object with `uid`")
            }
            let uid = try uidJSON.entityUID(at: "entity \(index).uid")
            var attributes: [String: Value] = [:]
            if let attrs = fields["attrs"] {
                guard case .object(let attrFields) = attrs else {
                    throw .entities("entity \(uid): `attrs` must be an object")
                }
                for (key, value) in attrFields {
                    attributes[key] = try value.cedarValue(at: "entity \(uid).attrs.\(key)")
                }
            }
            var parents: Set<EntityUID> = []
            if let parentsJSON = fields["parents"] {
                guard case .array(let list) = parentsJSON else {
                    throw .entities("entity \(uid): `parents` must be an array")
                }
                for (position, parent) in list.enumerated() {
                    parents.insert(try parent.entityUID(at: "entity \(uid).parents[\(position)]"))
                }
            }
            if let tags = fields["tags"], case .object(let tagFields) = tags, !tagFields.isEmpty {
                throw .entities("entity \(uid): entity tags are outside the supported subset")
            }
            entities.append(Entity(uid: uid, attributes: attributes, parents: parents))
        }
        try self.init(entities)
    }

    /// Whether the entity is in the store.
    public func contains(_ uid: EntityUID) -> Bool { stored[uid] != nil }

    /// The entity's attributes, or `nil` if it is not in the store.
    public func attributes(of uid: EntityUID) -> [String: Value]? { stored[uid]?.attributes }

    /// Whether `uid` is `ancestor` or a descendant of it.
    public func isDescendant(_ uid: EntityUID, of ancestor: EntityUID) -> Bool {
        uid == ancestor || stored[uid]?.ancestors.contains(ancestor) == true
    }

    func entry(_ uid: EntityUID) -> Stored? { stored[uid] }
}
