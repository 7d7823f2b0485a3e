import CustosAuth
import CustosCore
import CustosPolicy
import CustosServer

/// The facts of a tenant API request for the policies: the API key as principal with its tenant and scopes, the
/// resource the route addresses, and the key in the context (``LedgerRequests``).
enum TenantPolicyFacts {
    static func facts(_ action: String, _ caller: Caller, _ context: CustosRequestContext) throws -> PolicyFacts {
        guard case .tenantKey(let key) = caller else {
            throw RequestError(.forbidden, "this route is for tenant API keys")
        }
        // A key created without scopes has every scope: the whole tenant API of its tenant.
        guard
            let (request, entities) = LedgerRequests.request(
                action, tenant: key.tenant.rawValue, keyID: key.keyID,
                scopes: key.scopes.map { $0.sorted() } ?? LedgerRequests.allScopes,
                messageID: context.parameters.get("messageId") ?? "")
        else { throw RequestError(.internalFailure, "no policy facts for \(action)") }
        return PolicyFacts(request: request, entities: entities)
    }
}
