/// One differential case: policies, entities and requests, all as the text both engines read.
struct OracleCase: Sendable {
    /// A request, as JSON for cedarpy and as values for CustosPolicy.
    struct RequestText: Sendable {
        let principal: (type: String, id: String)
        let action: (type: String, id: String)
        let resource: (type: String, id: String)
        let contextJSON: String

        var json: String {
            JSONText.object([
                ("principal", JSONText.uid(type: principal.type, id: principal.id)),
                ("action", JSONText.uid(type: action.type, id: action.id)),
                ("resource", JSONText.uid(type: resource.type, id: resource.id)),
                ("context", contextJSON),
            ])
        }
    }

    let label: String
    let policies: String
    let entitiesJSON: String
    let requests: [RequestText]
    var schema: String?

    var json: String {
        var fields: [(String, String)] = [
            ("policies", JSONText.string(policies)), ("entities", entitiesJSON),
            ("requests", JSONText.array(requests.map(\.json))),
        ]
        if let schema { fields.append(("schema", JSONText.string(schema))) }
        return JSONText.object(fields)
    }
}
