import CustosClients
import CustosCore
import CustosServer
import Foundation
import OpenAPIRuntime

/// The generated operations of the tenant API (docs/openapi/tenant.json): the ledger's public verification
/// material, translated from the ledger worker's answers, and the tenant's own policies, from the control plane.
/// The callee validates what it is asked; its client errors reach the tenant with their message.
struct TenantLedgerHandlers: APIProtocol {
    let ledger: LedgerClient
    let control: ControlInternalClient

    func getLedger(_ input: Operations.GetLedger.Input) async throws -> Operations.GetLedger.Output {
        let network = try await ledger.network(tenant: try CallerScope.tenantKey().tenant)
        return .ok(
            .init(
                body: .json(
                    .init(
                        checkpointSize: network.checkpointSize, coordinatorKey: network.coordinatorKey,
                        name: network.name, networkId: network.networkId, origin: network.origin))))
    }

    func getCheckpoint(_ input: Operations.GetCheckpoint.Input) async throws -> Operations.GetCheckpoint.Output {
        let note = try await ledger.checkpoint(tenant: try CallerScope.tenantKey().tenant)
        return .ok(.init(body: .plainText(HTTPBody(note))))
    }

    func getConsistency(_ input: Operations.GetConsistency.Input) async throws -> Operations.GetConsistency.Output {
        let from = try LogPositionQuery.checked(input.query.from, "from", minimum: 1)
        let to = try LogPositionQuery.checked(input.query.to, "to", minimum: 1)
        let proof = try await ledger.consistency(
            tenant: try CallerScope.tenantKey().tenant, from: UInt64(from), to: UInt64(to))
        return .ok(
            .init(
                body: .json(
                    .init(from: proof.from, proof: try proof.proof.map(Self.base64), to: proof.to))))
    }

    func listMilestones(_ input: Operations.ListMilestones.Input) async throws -> Operations.ListMilestones.Output {
        let page = try await ledger.milestones(
            tenant: try CallerScope.tenantKey().tenant, after: try LogPositionQuery.checked(input.query.after, "after"),
            limit: input.query.limit)
        return .ok(.init(body: .json(.init(milestones: try page.milestones.map(Self.milestone)))))
    }

    func getLatestMilestone(_ input: Operations.GetLatestMilestone.Input) async throws
        -> Operations.GetLatestMilestone.Output
    {
        let latest = try await ledger.latestMilestone(tenant: try CallerScope.tenantKey().tenant)
        return .ok(.init(body: .json(try Self.milestone(latest))))
    }

    static func milestone(_ entry: LedgerAPI.MilestoneEntry) throws -> Components.Schemas.Milestone {
        .init(index: entry.index, message: try base64(entry.message), messageId: entry.messageId)
    }

    /// Bytes the worker sent as base64, which the tenant contract carries the same way.
    static func base64(_ text: String) throws -> Base64EncodedData {
        guard let bytes = try? Base64.decode(text) else {
            throw RPCError(service: "ledger worker", status: nil, message: "answer carries malformed base64")
        }
        return Base64EncodedData(bytes)
    }
}
