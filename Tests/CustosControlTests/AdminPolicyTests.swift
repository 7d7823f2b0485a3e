import CustosAuth
import CustosCore
import CustosPolicy
import CustosServer
import CustosStore
import Hummingbird
import Logging
import NIOEmbedded
import Testing

@testable import CustosControl

@Suite("Admin API policies")
struct AdminPolicyTests {
    static func facts(_ action: String, _ caller: Caller) async throws -> PolicyFacts {
        var context = CustosRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
        context.coreContext.parameters = ["tenant": "acme", "keyId": "key_1"]
        let request = Request(
            head: .init(method: .get, scheme: "http", authority: "control", path: "/"), body: .init(buffer: .init()))
        return try await AdminPolicyFacts.facts(action, caller, request, context)
    }

    @Test("every admin route has an action, which the shipped policies allow an administrator only")
    func everyRoute() async throws {
        let configuration = ControlServer.Configuration(
            port: 0, host: "127.0.0.1", token: try ServiceToken(secret: String(repeating: "t", count: 40)),
            database: try DatabaseConfiguration(url: "postgres://nobody@127.0.0.1:1/nothing"),
            ledgerURL: "http://127.0.0.1:1", addresses: .local(publicHost: "127.0.0.1", pooledPort: 7000))
        let routes = ControlServer.router(for: configuration, logger: Logger(label: "test")).routes
            .filter { "\($0.path)".hasPrefix("/admin/") }
        #expect(routes.count == 23)
        for route in routes {
            let action = try #require(ControlServer.adminActions.action(route.method, "\(route.path)"), "\(route)")
            let facts = try await Self.facts(action, .administrator(tokenID: "adm_1"))
            let decision = try PolicyEngine.shipped.decision(facts.request, entities: facts.entities)
            #expect(decision.isAllowed && decision.reasons == ["admin/administrators"], "\(action): \(decision)")

            // Another principal on the same request: the admin guard policy forbids it.
            let tenant = EntityUID(type: "Tenant", id: "acme")
            let key = EntityUID(type: "ApiKey", id: "key_9")
            let intruder = CustosPolicy.Request(
                principal: key, action: facts.request.action, resource: facts.request.resource)
            let entities =
                facts.entities.filter { $0.uid != tenant }
                + [
                    Entity(uid: tenant, attributes: ["status": .string("active")]),
                    Entity(uid: key, attributes: ["tenant": .entity(tenant), "scopes": .set([])], parents: [tenant]),
                ]
            let denied = try PolicyEngine.shipped.decision(intruder, entities: entities)
            #expect(!denied.isAllowed && denied.reasons == ["admin/only-administrators"], "\(action): \(denied)")
        }
    }
}
