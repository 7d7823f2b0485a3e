import CustosAuth
import CustosClients
import CustosCore
import CustosPolicy
import CustosServer
import Foundation
import Hummingbird

/// The facts of a tenant API request for the policies: the API key (or, on identity routes, the identity of the
/// JWT with its current role) as principal, the resource the route addresses, and the key in the context
/// (``LedgerRequests``, ``IdentityRequests``).
struct TenantPolicyFacts: Sendable {
    let ssi: SSIClient
    let streams: StreamsClient
    /// The plain identity facts (registered, role), read once for the requests that wait together.
    let identities: IdentityFactsQueue
    let hotChannelFacts = ChannelFactsCache()

    func facts(_ action: String, _ caller: Caller, _ request: Request, _ context: CustosRequestContext) async throws
        -> PolicyFacts
    {
        guard case .tenantKey(let key) = caller else {
            throw RequestError(.forbidden, "this route is for tenant API keys")
        }
        // A key created without scopes has every scope: the whole tenant API of its tenant.
        let scopes = key.scopes.map { $0.sorted() } ?? LedgerRequests.allScopes
        let now = Int(Date().timeIntervalSince1970)
        if LedgerRequests.actions.contains(action) {
            // The write's tag is a fact (a key may be bound to tags); the body was read once before.
            var body: JSONValue?
            if action == "createLedgerMessage" {
                var request = request
                body = try await request.strictJSONBody(limit: LedgerMessageRoutes.bodyLimit)
            }
            guard
                let (request, entities) = LedgerRequests.request(
                    action, tenant: key.tenant.rawValue, keyID: key.keyID, scopes: scopes,
                    messageID: context.parameters.get("messageId") ?? "", tag: body?["tag"]?.stringValue ?? "",
                    unixTime: now)
            else { throw RequestError(.internalFailure, "no policy facts for \(action)") }
            return PolicyFacts(request: request, entities: entities, body: body)
        }
        if ChannelRequests.keyActions.contains(action) || ChannelRequests.identityActions.contains(action) {
            return try await channelFacts(
                action, key: key, scopes: scopes, now: now, request: request, context: context)
        }
        guard IdentityRequests.keyActions.contains(action) || IdentityRequests.identityActions.contains(action) else {
            throw RequestError(.internalFailure, "no policy facts for \(action)")
        }
        var facts = IdentityRequests.Facts(
            tenant: key.tenant.rawValue, keyID: key.keyID, scopes: scopes, unixTime: now)
        let body = try await RelayedRoutes.body(of: request, limit: IdentityRelay.bodyLimit)
        facts.resource = Self.resource(action, body: body, context: context)
        if let token = context.identityToken {
            let request = SSIAPI.FactsRequest(
                identity: token.subject,
                initiatorCredential: action == "createCredential"
                    ? body?.json["initiatorVC"].flatMap { try? JCS.canonicalString($0) } : nil,
                credentialSignature: action == "revokeCredential"
                    ? body.flatMap { $0.json["signatureValue"]?.stringValue ?? $0.json["id"]?.stringValue } : nil)
            let known =
                request.initiatorCredential == nil && request.credentialSignature == nil
                ? try await identities.submit(token.subject, tenant: key.tenant)
                : try await ssi.facts(tenant: key.tenant, request)
            try Self.requireRegistered(known)
            facts.identity = (token.subject, known.role.rawValue)
            facts.initiatorVerified = known.initiatorVerified
            if action == "revokeCredential" { facts.resource = known.credentialSubject ?? "" }
        }
        if action == "updateIdentity", let role = body?.json["role"] { facts.changesRole = !role.isNull }
        guard let (policyRequest, entities) = IdentityRequests.request(action, facts) else {
            throw RequestError(.unauthenticated, Self.needsJWT)
        }
        return PolicyFacts(request: policyRequest, entities: entities, body: body?.json)
    }

    /// A token outlives a deleted registration by up to 15 minutes; it stops working at once instead.
    static func requireRegistered(_ known: SSIAPI.Facts) throws {
        guard known.registered else {
            throw RequestError(.unauthenticated, "the token's identity is no longer registered with this tenant")
        }
    }

    static let needsJWT =
        "not authenticated: this route needs an identity's JWT (Authorization: Bearer, from POST "
        + "/api/v0.2/authentication/prove-ownership/{id}) beside the API key"

    /// The facts of an Audit Trail route: the identity with its current role, the channel the path (or, for channel
    /// info, the body) names, the caller's subscription to it and the subscription the path names.
    func channelFacts(
        _ action: String, key: Caller.TenantKey, scopes: [String], now: Int, request: Request,
        context: CustosRequestContext
    ) async throws -> PolicyFacts {
        var facts = ChannelRequests.Facts(tenant: key.tenant.rawValue, keyID: key.keyID, scopes: scopes, unixTime: now)
        let body = try await RelayedRoutes.body(of: request, limit: ChannelRelay.bodyLimit)
        var role: String?
        if let token = context.identityToken {
            let known = try await identities.submit(token.subject, tenant: key.tenant)
            try Self.requireRegistered(known)
            facts.identity = (token.subject, known.role.rawValue)
            role = known.role.rawValue
        }
        let address =
            context.parameters.get("channelAddress").map { $0.percentDecoded ?? $0 }
            ?? (["addChannelInfo", "updateChannelInfo"].contains(action)
                ? body?.json["channelAddress"]?.stringValue : nil)
        facts.targetSubscriber = context.parameters.get("id").map { $0.percentDecoded ?? $0 }
        if let address, !ChannelRequests.tenantActions.contains(action) {
            let request = StreamsAPI.FactsRequest(
                identity: facts.identity?.did, channelAddress: address, subscriber: facts.targetSubscriber)
            let known =
                ChannelFactsCache.actions[action] != nil
                ? try await hotChannelFacts.facts(action, key.tenant, identity: request.identity, address: address) {
                    try await streams.facts(tenant: key.tenant, request)
                }
                : try await streams.facts(tenant: key.tenant, request)
            if let channel = known.channel {
                facts.channel = .init(
                    address: address, author: channel.author, type: channel._type.rawValue, hidden: channel.hidden,
                    visibilityList: channel.visibilityList)
            }
            facts.subscription = known.subscription.map {
                .init(subscriber: $0.subscriber, accessRights: $0.accessRights.rawValue, isAuthorized: $0.isAuthorized)
            }
            facts.target = known.target.map {
                .init(subscriber: $0.subscriber, accessRights: $0.accessRights.rawValue, isAuthorized: $0.isAuthorized)
            }
        }
        guard ChannelRequests.keyActions.contains(action) || facts.identity != nil else {
            throw RequestError(.unauthenticated, Self.needsJWT)
        }
        guard let (policyRequest, entities) = ChannelRequests.request(action, facts) else {
            throw RequestError(.notFound, "this tenant has no channel \((address ?? "").prefix(128))")
        }
        return PolicyFacts(request: policyRequest, entities: entities, body: body?.json, role: role)
    }

    /// The DID, trusted root or credential the route addresses.
    static func resource(_ action: String, body: RelayedRoutes.Body?, context: CustosRequestContext) -> String? {
        switch action {
        case "getLatestDocument", "getIdentity", "deleteIdentity":
            context.parameters.get("id").map { $0.percentDecoded ?? $0 }
        case "removeTrustedRoot":
            context.parameters.get("trustedRootId").map { $0.percentDecoded ?? $0 }
        case "updateIdentity": body?.json["id"]?.stringValue
        case "addTrustedRoot": body?.json["trustedRootId"]?.stringValue
        default: nil
        }
    }
}
