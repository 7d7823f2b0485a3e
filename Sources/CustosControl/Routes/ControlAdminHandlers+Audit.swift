import CustosClients
import CustosControlAPI
import CustosCore
import CustosServer
import Foundation
import OpenAPIRuntime

/// The platform's audit: the events the control plane stored, and the entries of the platform's audit ledger
/// that record them, with their receipts.
extension ControlAdminHandlers {
    func listAuditEvents(_ input: Operations.ListAuditEvents.Input) async throws
        -> Operations.ListAuditEvents.Output
    {
        let limit = try Self.pageLimit(input.query.limit)
        let events = try await store.auditEvents(limit: limit).map { row in
            Components.Schemas.AuditEvent(
                actor: row.actor, at: row.at, detail: row.detail, event: row.event, index: row.index.map { Int($0) },
                messageId: row.messageID?.hex,
                operation: row.operation, sequence: Int(row.sequence), tenant: row.tenant)
        }
        return .ok(.init(body: .json(.init(events: events))))
    }

    func getPlatformAudit(_ input: Operations.GetPlatformAudit.Input) async throws
        -> Operations.GetPlatformAudit.Output
    {
        try await requireAuditLedger()
        let network: LedgerAPI.Network
        do { network = try await ledger.network(tenant: PlatformAuditRecord.ledgerTenant) } catch let error
            as RPCError where error.status == 404
        {
            throw RequestError(.unavailable, "the platform's audit ledger is being created; retry in a moment")
        }
        return .ok(
            .init(
                body: .json(
                    .init(
                        coordinatorKey: network.coordinatorKey, origin: network.origin,
                        pending: try await store.pendingAuditCount(), tag: PlatformAuditRecord.tag))))
    }

    func listPlatformAuditEntries(_ input: Operations.ListPlatformAuditEntries.Input) async throws
        -> Operations.ListPlatformAuditEntries.Output
    {
        let limit = try Self.pageLimit(input.query.limit)
        let after = try LogPositionQuery.checked(input.query.after, "after")
        try await requireAuditLedger()
        let page: LedgerAPI.MessageList
        do {
            page = try await ledger.messages(
                tenant: PlatformAuditRecord.ledgerTenant, tag: PlatformAuditRecord.tag, after: after,
                limit: limit)
        } catch let error as RPCError where error.status == 404 {
            return .ok(.init(body: .json(.init(entries: []))))
        }
        let entries = try page.messages.map { message in
            guard let data = try? Base64.decode(message.data) else {
                throw RequestError(.internalFailure, "the ledger returned an entry whose data is not base64")
            }
            let record: PlatformAuditRecord
            do { record = try PlatformAuditRecord(data: data) } catch {
                throw RequestError(.internalFailure, "audit entry \(message.messageId) is malformed: \(error)")
            }
            return Components.Schemas.AuditEntry(
                data: message.data,
                event: .init(
                    actor: record.actor, at: Timestamp.parse(record.at) ?? Date(timeIntervalSince1970: 0),
                    detail: record.detail, event: record.event, index: Int(record.index), messageId: message.messageId,
                    operation: record.operation, sequence: Int(record.sequence), tenant: record.tenant),
                messageId: message.messageId)
        }
        return .ok(.init(body: .json(.init(entries: entries, next: page.next.flatMap { Int($0) }))))
    }

    func getPlatformAuditReceipt(_ input: Operations.GetPlatformAuditReceipt.Input) async throws
        -> Operations.GetPlatformAuditReceipt.Output
    {
        guard let id = try? Digest32(hex: input.path.messageId) else {
            throw RequestError(.invalidInput, "messageId must be 64 lowercase hex digits")
        }
        try await requireAuditLedger()
        let receipt: [UInt8]
        do { receipt = try await ledger.receipt(tenant: PlatformAuditRecord.ledgerTenant, id: id) } catch let error
            as RPCError where error.status == 404
        {
            throw RequestError(.notFound, "the platform's audit ledger has no entry \(id.hex)")
        } catch let error as RPCError where error.status == 409 {
            throw RequestError(
                .conflict, "audit entry \(id.hex) is not confirmed by a milestone yet; retry in a second")
        }
        return .ok(.init(body: .applicationVnd_custos_receipt(HTTPBody(receipt))))
    }

    func getPlatformAuditConsistency(_ input: Operations.GetPlatformAuditConsistency.Input) async throws
        -> Operations.GetPlatformAuditConsistency.Output
    {
        let from = try LogPositionQuery.checked(input.query.from, "from", minimum: 1)
        let to = try LogPositionQuery.checked(input.query.to, "to", minimum: 1)
        guard from <= to else {
            throw RequestError(.invalidInput, "query parameters from and to must be sizes with 1 <= from <= to")
        }
        try await requireAuditLedger()
        let proof = try await ledger.consistency(
            tenant: PlatformAuditRecord.ledgerTenant, from: UInt64(from), to: UInt64(to))
        return .ok(.init(body: .json(.init(from: proof.from, proof: proof.proof, to: proof.to))))
    }

    private var ledger: LedgerClient { provisioner.ledger }

    /// Refuses to present a tenant's ledger as the platform's audit, where a tenant holds the reserved id.
    private func requireAuditLedger() async throws {
        if try await store.tenant(PlatformAuditRecord.ledgerTenant) != nil {
            throw RequestError(
                .conflict,
                "tenant \(PlatformAuditRecord.ledgerTenant) holds the id reserved for the platform's audit ledger, "
                    + "so there is no audit ledger; events are still listed by GET /admin/v1/audit-events")
        }
    }
}
