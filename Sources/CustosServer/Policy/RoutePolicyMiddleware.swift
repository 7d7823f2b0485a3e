import CustosAuth
import CustosCore
import CustosPolicy
import Hummingbird

/// What a policy decision is asked about: the request and the entities it refers to.
public struct PolicyFacts: Sendable {
    /// The request.
    public var request: CustosPolicy.Request
    /// The entities of principal, resource and context.
    public var entities: [Entity]
    /// The body, when the facts had to parse it; the handler reads it from ``RequestBodyScope``.
    public var body: JSONValue?
    /// The current role of the identity whose JWT came with the request, when the facts looked it up; the handler
    /// reads it from ``RequestBodyScope/role``.
    public var role: String?

    /// Creates facts.
    public init(request: CustosPolicy.Request, entities: [Entity], body: JSONValue? = nil, role: String? = nil) {
        self.request = request
        self.entities = entities
        self.body = body
        self.role = role
    }
}

/// Asks the policies about every request of a route group, after its authenticator: the action is the route's
/// operationId, the facts come from the caller and the route's parameters. A route without an action fails
/// closed.
public struct RoutePolicyMiddleware: RouterMiddleware {
    public typealias Context = CustosRequestContext
    /// Builds the facts of a request of `action` by `caller`.
    public typealias Facts =
        @Sendable (_ action: String, _ caller: Caller, _ request: Request, _ context: Context)
        async throws -> PolicyFacts

    /// The policies in force for a request by `caller`: the shipped ones, or those with its tenant's own added.
    public typealias Engine = @Sendable (_ caller: Caller) async throws -> PolicyEngine

    let engine: Engine
    let actions: RouteActions
    let facts: Facts

    /// Creates the middleware.
    public init(engine: @escaping Engine = { _ in .shipped }, actions: RouteActions, facts: @escaping Facts) {
        self.engine = engine
        self.actions = actions
        self.facts = facts
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let caller = try context.requireCaller()
        guard let endpoint = context.endpointPath, let action = actions.action(request.method, endpoint) else {
            throw RequestError(.internalFailure, "route \(context.endpointPath ?? "?") has no policy action")
        }
        let facts = try await facts(action, caller, request, context)
        try await engine(caller).authorize(facts.request, entities: facts.entities, logger: context.logger)
        return try await RequestBodyScope.$json.withValue(facts.body) {
            try await RequestBodyScope.$role.withValue(facts.role) { try await next(request, context) }
        }
    }
}
