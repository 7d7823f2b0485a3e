/// The entity store a request is evaluated against, with the transitive closure of the hierarchy precomputed.
public struct Entities: Sendable {
    struct Stored: Sendable {
        let attributes: [String: Value]
        let ancestors: Set<EntityUID>
    }

    private let stored: [EntityUID: Stored]
    /// Entities shared by many requests (the schema's actions), closed under their own hierarchy; see
    /// ``adding(_:)``.
    private let base: [EntityUID: Stored]

    /// Creates a store; ancestors are computed transitively through the parents that are themselves in the store.
    ///
    /// - Throws: ``PolicyError/entities(_:)`` if two entities share an id.
    public init(_ entities: [Entity]) throws(PolicyError) {
        self = try Entities(stored: [:], base: [:]).adding(entities)
    }

    private init(stored: [EntityUID: Stored], base: [EntityUID: Stored]) {
        self.stored = stored
        self.base = base
    }

    /// This store with a request's own entities added, without copying or recomputing this store: what a server
    /// does per request on top of the schema's action entities. The added entities may have parents here; the
    /// entities here must not have parents among the added ones (actions never do).
    ///
    /// - Throws: ``PolicyError/entities(_:)`` if an entity is defined twice.
    public func adding(_ entities: [Entity]) throws(PolicyError) -> Entities {
        precondition(base.isEmpty, "adding(_:) builds on a store created from entities")
        var direct: [EntityUID: Entity] = [:]
        for entity in entities {
            if stored[entity.uid] != nil || direct.updateValue(entity, forKey: entity.uid) != nil {
                throw .entities("entity \(entity.uid) is defined twice")
            }
        }
        var result: [EntityUID: Stored] = [:]
        for (uid, entity) in direct {
            var ancestors: Set<EntityUID> = []
            var pending = Array(entity.parents)
            while let parent = pending.popLast() {
                guard ancestors.insert(parent).inserted else { continue }
                if let grand = direct[parent] {
                    pending.append(contentsOf: grand.parents)
                } else if let known = stored[parent] {
                    ancestors.formUnion(known.ancestors)
                }
            }
            result[uid] = Stored(attributes: entity.attributes, ancestors: ancestors)
        }
        return Entities(stored: result, base: stored)
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
    public func contains(_ uid: EntityUID) -> Bool { entry(uid) != nil }

    /// The entity's attributes, or `nil` if it is not in the store.
    public func attributes(of uid: EntityUID) -> [String: Value]? { entry(uid)?.attributes }

    /// Whether `uid` is `ancestor` or a descendant of it.
    public func isDescendant(_ uid: EntityUID, of ancestor: EntityUID) -> Bool {
        uid == ancestor || entry(uid)?.ancestors.contains(ancestor) == true
    }

    func entry(_ uid: EntityUID) -> Stored? { stored[uid] ?? base[uid] }
}
