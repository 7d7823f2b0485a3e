import CustosClients
import CustosCore
import CustosLedger
import Logging
import ServiceLifecycle

/// Writes the control plane's audit events to the platform's audit ledger, oldest first, as they are stored.
///
/// Each event is stored in the transaction of the mutation it records (``ControlStore/AuditEvent``), so none
/// is lost to a crash; this service then attaches it to the platform's own private ledger, which gives it a
/// receipt that anyone holding the ledger's coordinator key can verify offline (`custosctl audit verify`). An
/// event gets the next audit index just before it is attached, and is marked with its entry's id once the
/// ledger committed it: a control plane killed between the two attaches it again under the same index, and the
/// audit lists that index twice with the same content, which the verification reports as a repeat rather than
/// a forgery. With a signing key, each record is signed (version 2): Ed25519 signatures are deterministic, so an
/// event attached again repeats its bytes exactly.
struct PlatformAuditRecorder: Service {
    /// Events attached in one ledger commit.
    static let batch = 256

    let store: ControlStore
    let ledger: LedgerClient
    /// The control plane's key for the records; without one they are unsigned (version 1).
    let signingKey: PlatformAuditSigningKey?
    let logger: Logger
    /// How often stored events are looked for.
    var interval: Duration = .milliseconds(200)

    func run() async {
        let ready = await cancelWhenGracefulShutdown {
            var ready = false
            var blocked = false
            var pause = interval
            while !Task.isCancelled {
                do {
                    if !ready, !blocked {
                        ready = try await createLedger()
                        blocked = !ready
                    }
                    if ready { while try await recordPending() == Self.batch {} }
                    pause = interval
                } catch {
                    logger.warning("audit events not recorded in the audit ledger yet", metadata: ["error": "\(error)"])
                    pause = min(pause * 2, .seconds(5))
                }
                try? await Task.sleep(for: pause)
            }
            return ready
        }
        // What the last requests changed is recorded before the process ends, when the ledger answers.
        if ready { _ = try? await recordPending() }
    }

    /// Creates the platform's audit ledger unless it exists; false when a tenant holds its reserved id (an
    /// installation older than the audit ledger), which is logged and leaves the events unrecorded.
    private func createLedger() async throws -> Bool {
        let id = PlatformAuditRecord.ledgerTenant
        if try await store.tenant(id) != nil {
            logger.error(
                "a tenant has the id reserved for the platform's audit ledger; audit events are stored, not recorded",
                metadata: ["tenant": "\(id)"])
            return false
        }
        do {
            _ = try await ledger.network(tenant: id)
        } catch let error as RPCError where error.status == 404 {
            let network = try await ledger.createNetwork(tenant: id, name: id.rawValue)
            logger.info("platform audit ledger created", metadata: ["origin": "\(network.origin)"])
        }
        return true
    }

    /// Attaches the oldest unrecorded events in one commit; returns how many.
    private func recordPending() async throws -> Int {
        let events = try await store.nextAuditBatch(limit: Self.batch)
        guard !events.isEmpty else { return 0 }
        let entries = try events.map { event in
            let record =
                try signingKey.map { key throws(JSONError) in try event.record.signed(by: key) }
                ?? event.record
            return try LedgerEntry(
                payload: try TaggedData(tag: Array(PlatformAuditRecord.tag.utf8), data: try record.data()),
                contentType: "application/json")
        }
        let ids = try await ledger.submit(tenant: PlatformAuditRecord.ledgerTenant, entries: entries)
        try await store.markRecorded(zip(events, ids).map { (sequence: $0.sequence, messageID: $1) })
        return events.count
    }
}

extension PlatformAuditRecorder: CustomStringConvertible {
    var description: String { "PlatformAuditRecorder" }
}

extension ControlStore.AuditEventRow {
    /// The event as its ledger entry records it.
    var record: PlatformAuditRecord {
        PlatformAuditRecord(
            index: index ?? 0, sequence: sequence, at: Timestamp.iso8601Millis(at), actor: actor, event: event,
            tenant: tenant,
            operation: operation, detail: detail)
    }
}
