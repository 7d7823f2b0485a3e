import CustosClients
import CustosCore

/// The facts of the identities whose JWTs come with a tenant's requests (registered, current role), read once for
/// all the requests that wait at the same time: 64 clients writing as one identity cost one call to the ssi
/// worker per round instead of 64.
///
/// It is a ``SubmitQueue`` per tenant, so a batch leaves only after each of its requests arrived: every request
/// still gets facts read after it came in, and a role change or a deleted registration takes effect for the
/// next request as before. Requests that ask for more than the identity (an initiator credential, a credential
/// to revoke) do not come this way.
typealias IdentityFactsQueue = TenantSubmitQueues<String, SSIAPI.Facts>

extension TenantSubmitQueues where Item == String, Output == SSIAPI.Facts {
    convenience init(ssi: SSIClient) {
        self.init(maximumBatch: 256) { tenant, identities in
            await IdentityFactsReader(ssi: ssi, tenant: tenant).read(identities)
        }
    }
}

/// Reads the facts of a batch of identities of one tenant: one call per distinct identity, side by side.
struct IdentityFactsReader: Sendable {
    let ssi: SSIClient
    let tenant: TenantID

    func read(_ identities: [String]) async -> [Result<SSIAPI.Facts, any Error>] {
        let distinct = Array(Set(identities))
        var known: [String: Result<SSIAPI.Facts, any Error>] = [:]
        await withTaskGroup(of: Answer.self) { group in
            for identity in distinct {
                group.addTask { await answer(identity) }
            }
            for await answer in group { known[answer.identity] = answer.result }
        }
        return identities.map { identity in
            known[identity] ?? .failure(RequestError(.internalFailure, "no facts for \(identity)"))
        }
    }

    struct Answer: Sendable {
        let identity: String
        let result: Result<SSIAPI.Facts, any Error>
    }

    private func answer(_ identity: String) async -> Answer {
        do {
            return Answer(
                identity: identity, result: .success(try await ssi.facts(tenant: tenant, .init(identity: identity))))
        } catch { return Answer(identity: identity, result: .failure(error)) }
    }
}
