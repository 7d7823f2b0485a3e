import CustosAuth
import CustosClients
import CustosCore
import CustosPolicy
import CustosServer
import CustosStore
import Hummingbird
import Logging
import NIOEmbedded
import Testing

@testable import CustosGateway

@Suite("Tenant API policies")
struct TenantPolicyTests {
    static let configuration = GatewayServer.Configuration(
        tenancy: .dedicated(TenantID("acme")!), port: 0, host: "127.0.0.1",
        token: try! ServiceToken(secret: String(repeating: "t", count: 40)),
        database: try! DatabaseConfiguration(url: "postgres://custos@localhost/custos"),
        ledgerURL: "http://127.0.0.1:1")

    /// Every route of the API group, as the gateway's router has it.
    static var apiRoutes: [(HTTPRequest.Method, String)] {
        GatewayServer.router(for: configuration, logger: Logger(label: "test")).routes
            .filter { "\($0.path)".hasPrefix("/api/v1/") }
            .map { ($0.method, "\($0.path)") }
    }

    static func facts(_ action: String, key: Caller.TenantKey) async throws -> PolicyFacts {
        var context = CustosRequestContext(source: .init(channel: EmbeddedChannel(), logger: Logger(label: "test")))
        context.coreContext.parameters = ["messageId": Substring(String(repeating: "a", count: 64))]
        // The write's facts include its tag, read from the body.
        let request = Request(
            head: .init(
                method: .post, scheme: "http", authority: "gateway", path: "/",
                headerFields: [.contentType: "application/json"]),
            body: .init(buffer: .init(string: #"{"tag":"orders","data":1}"#)))
        let ssi = SSIClient(baseURL: "http://127.0.0.1:1", serviceToken: "t")
        return try await TenantPolicyFacts(
            ssi: ssi, streams: StreamsClient(baseURL: "http://127.0.0.1:1", serviceToken: "t"),
            identities: IdentityFactsQueue(ssi: ssi)
        )
        .facts(action, .tenantKey(key), request, context)
    }

    @Test("every /api/v1 route has an action, and the shipped policies allow it to a key of the gateway's tenant")
    func everyRouteAllowed() async throws {
        let routes = Self.apiRoutes
        #expect(routes.count == 20)
        // The channel routes' facts come from the streams worker: ChannelRequestsTests and the end-to-end tests
        // decide them.
        for (method, path) in routes where !path.hasPrefix("/api/v1/channels") {
            let action = try #require(GatewayServer.routeActions.action(method, path), "\(method) \(path)")
            let facts = try await Self.facts(action, key: .init(tenant: TenantID("acme")!, keyID: "key_1"))
            let decision = try PolicyEngine.shipped.decision(facts.request, entities: facts.entities)
            #expect(decision.isAllowed, "\(action): \(decision)")
            let tenantAdmin =
                action.hasSuffix("OwnPolicies") || action.hasSuffix("OwnKey") || action == "listOwnKeys"
                || action == "getUsage"
            let permit = tenantAdmin ? "tenant-admin/own-policies" : "ledger/api-key"
            #expect(decision.reasons == [permit], "\(action)")
        }
    }

    @Test("the policies, not the code, refuse: a key without the scope, or facts of another tenant")
    func refusals() async throws {
        let key = Caller.TenantKey(tenant: TenantID("acme")!, keyID: "key_1")
        var facts = try await Self.facts("createLedgerMessage", key: key)
        // The same request by a key that holds only ledger:read.
        facts.entities = facts.entities.map { entity in
            guard entity.uid.type == "ApiKey" else { return entity }
            var attributes = entity.attributes
            attributes["scopes"] = .set([.string("ledger:read")])
            return Entity(uid: entity.uid, attributes: attributes, parents: entity.parents)
        }
        let unscoped = try PolicyEngine.shipped.decision(facts.request, entities: facts.entities)
        #expect(!unscoped.isAllowed && unscoped.reasons == ["key-scopes/ledger:write"])
        #expect(throws: RequestError.self) {
            try PolicyEngine.shipped.authorize(facts.request, entities: facts.entities, logger: Logger(label: "test"))
        }

        // A resource of another tenant, addressed with acme's key.
        let own = try await Self.facts("getLedgerMessage", key: key)
        let other = try await Self.facts("getLedgerMessage", key: .init(tenant: TenantID("globex")!, keyID: "key_2"))
        let crossed = CustosPolicy.Request(
            principal: own.request.principal, action: own.request.action, resource: own.request.resource,
            context: own.request.context)
        let entities =
            own.entities.filter { $0.uid.type == "ApiKey" || $0.uid.type == "Tenant" }
            + other.entities.filter { $0.uid.type != "ApiKey" && $0.uid.type != "Tenant" }
            + other.entities.filter { $0.uid.type == "Tenant" }
        let decision = try PolicyEngine.shipped.decision(crossed, entities: entities)
        #expect(!decision.isAllowed && decision.reasons == ["tenant-isolation/resource"], "\(decision)")
    }
}
