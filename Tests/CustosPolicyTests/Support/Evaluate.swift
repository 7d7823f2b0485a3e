import CustosPolicy

/// Small helpers to evaluate one condition or one policy text against a tiny world.
enum Evaluate {
    static let principal = EntityUID(type: "User", id: "alice")
    static let action = EntityUID(type: "Action", id: "read")
    static let resource = EntityUID(type: "Doc", id: "d1")

    static let world: Entities = {
        try! Entities(
            json: """
                [{"uid": {"type": "User", "id": "alice"},
                  "attrs": {"name": "Alice", "age": 30, "tags": ["a", "b"], "boss": {"__entity": {"type": "User", "id": "bob"}},
                            "info": {"level": 3, "team": "red"}},
                  "parents": [{"type": "Group", "id": "staff"}]},
                 {"uid": {"type": "User", "id": "bob"}, "attrs": {"name": "Bob"}, "parents": []},
                 {"uid": {"type": "Group", "id": "staff"}, "attrs": {}, "parents": [{"type": "Group", "id": "all"}]},
                 {"uid": {"type": "Doc", "id": "d1"}, "attrs": {"owner": {"__entity": {"type": "User", "id": "alice"}}},
                  "parents": [{"type": "Folder", "id": "f1"}]},
                 {"uid": {"type": "Action", "id": "read"}, "attrs": {}, "parents": [{"type": "Action", "id": "readOnly"}]}]
                """)
    }()

    /// The decision for a policy text on the default request.
    static func decision(_ policies: String, context: [String: Value] = [:]) throws -> Decision {
        let set = try PolicySet(parsing: policies)
        let request = Request(principal: principal, action: action, resource: resource, context: context)
        return Authorizer.isAuthorized(request, policies: set, entities: world)
    }

    /// `true`/`false` if the condition holds or not, `nil` if it raises an error.
    static func condition(_ text: String, context: [String: Value] = [:]) throws -> Bool? {
        let decision = try decision("permit(principal, action, resource) when { \(text) };", context: context)
        if !decision.failures.isEmpty { return nil }
        return decision.isAllowed
    }
}
