import CustosCore
import CustosServer
import CustosStreams
import CustosStreamsWorkerAPI
import Foundation
import OpenAPIRuntime

/// The typed operations of docs/openapi/streams-worker.yaml: thin translations between the generated types and
/// ``StreamsService``. Failures are thrown domain errors, mapped to JSON errors in one place (CustosServer).
struct StreamsWorkerHandlers: APIProtocol {
    let service: StreamsService

    func eraseChannels(_ input: Operations.EraseChannels.Input) async throws -> Operations.EraseChannels.Output {
        let tenant: TenantID
        do { tenant = try TenantID(validating: input.path.tenant) } catch {
            throw RequestError(.invalidInput, "\(error)")
        }
        let rows = try await service.store.erase(tenant)
        await service.participants.forget(tenant)
        return .ok(.init(body: .json(.init(rows: rows))))
    }

    func getPolicyFacts(_ input: Operations.GetPolicyFacts.Input) async throws -> Operations.GetPolicyFacts.Output {
        let tenant: TenantID
        do { tenant = try TenantID(validating: input.path.tenant) } catch {
            throw RequestError(.invalidInput, "\(error)")
        }
        guard case .json(let body) = input.body else { throw RequestError(.unsupportedMediaType, "expected JSON") }
        guard let text = body.channelAddress else { return .ok(.init(body: .json(.init()))) }
        let address = try StreamsService.address(text)
        let dids = [body.identity, body.subscriber].compactMap { $0 }
        guard
            let (channel, subscriptions) = try await service.store.policyFacts(
                tenant, address.channelID, subscribers: dids)
        else { return .ok(.init(body: .json(.init()))) }
        func facts(_ did: String?) -> Components.Schemas.SubscriptionFacts? {
            guard let did, let row = subscriptions[did] else { return nil }
            return .init(
                subscriber: did, accessRights: .init(rawValue: row.rights) ?? .read, isAuthorized: row.authorized)
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        channel: .init(
                            author: channel.author, _type: .init(rawValue: channel.type) ?? ._private,
                            hidden: channel.hidden, visibilityList: channel.visibility),
                        subscription: facts(body.identity), target: facts(body.subscriber)))))
    }
}
