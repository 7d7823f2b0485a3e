import Testing

@testable import CustosPolicy

@Suite("Entities added to a shared store")
struct EntitiesLayeringTests {
    static func uid(_ type: String, _ id: String) -> EntityUID { EntityUID(type: type, id: id) }

    @Test("added entities see the shared hierarchy transitively, exactly as one store built from all of them")
    func sameAsOneStore() throws {
        let (read, api, all) = (Self.uid("Action", "read"), Self.uid("Action", "api"), Self.uid("Action", "all"))
        let shared = [Entity(uid: read, parents: [api]), Entity(uid: api, parents: [all]), Entity(uid: all)]
        let (tenant, key) = (Self.uid("Tenant", "acme"), Self.uid("ApiKey", "k"))
        let request = [
            Entity(uid: tenant), Entity(uid: key, attributes: ["n": .long(1)], parents: [tenant, api]),
        ]
        let layered = try Entities(shared).adding(request)
        let whole = try Entities(shared + request)
        for a in shared.map(\.uid) + request.map(\.uid) {
            #expect(layered.contains(a) && layered.attributes(of: a) == whole.attributes(of: a))
            for b in shared.map(\.uid) + request.map(\.uid) {
                #expect(layered.isDescendant(a, of: b) == whole.isDescendant(a, of: b), "\(a) in \(b)")
            }
        }
        #expect(layered.isDescendant(key, of: all))
        #expect(!layered.contains(Self.uid("Tenant", "other")))
        #expect(throws: PolicyError.self) { try Entities(shared).adding([Entity(uid: api)]) }
        #expect(throws: PolicyError.self) { try Entities(shared).adding([Entity(uid: key), Entity(uid: key)]) }
    }
}
