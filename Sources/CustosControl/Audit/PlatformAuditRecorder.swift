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
///
/// Given the previous key as well, the recorder rotates: it stores the event that hands the audit over to the
/// current key (once), signs it and every event indexed before it with the previous key, and the events after
/// it with the current one. Which key signs an event follows from its index alone, so one attached again after
/// a crash is signed as before.
struct PlatformAuditRecorder: Service {
    /// Events attached in one ledger commit.
    static let batch = 256

    let store: ControlStore
    let ledger: LedgerClient
    /// The control plane's key for the records; without one they are unsigned (version 1).
    let signingKey: PlatformAuditSigningKey?
    /// The key the audit is handed over from, while it is rotated.
    var previousKey: PlatformAuditSigningKey? = nil
    let logger: Logger
    /// How often stored events are looked for.
    var interval: Duration = .milliseconds(200)

    func run() async {
        let ready = await cancelWhenGracefulShutdown {
            var ready = false
            var blocked = false
            // Nothing is recorded before a rotation asked for is stored: it decides which key signs what.
            var rotationStored = false
            var pause = interval
            while !Task.isCancelled {
                do {
                    if !ready, !blocked {
                        ready = try await createLedger()
                        blocked = !ready
                    }
                    if ready, !rotationStored {
                        try await rotateIfAsked()
                        rotationStored = true
                    }
                    if ready { while try await recordPending() == Self.batch {} }
                    pause = interval
                } catch {
                    logger.warning("audit events not recorded in the audit ledger yet", metadata: ["error": "\(error)"])
                    pause = min(pause * 2, .seconds(5))
                }
                try? await Task.sleep(for: pause)
            }
            return ready && rotationStored
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

    /// Stores the rotation from the previous key to the current one, unless it is stored.
    private func rotateIfAsked() async throws {
        guard let signingKey, let previousKey else { return }
        guard previousKey.signer != signingKey.signer else {
            logger.warning("the previous audit signing key is the current one; nothing to rotate")
            return
        }
        if try await store.recordSigningKeyRotation(
            from: previousKey.signer, to: signingKey.signer, actor: "control plane")
        {
            logger.notice(
                "the platform audit is handed over to a new signing key",
                metadata: ["from": "\(previousKey.signer)", "to": "\(signingKey.signer)"])
        } else if try await store.signingKeyRotation(to: signingKey.signer)?.recorded == true {
            logger.notice(
                "the audit's rotation to this signing key is recorded: the previous key signs nothing more; remove it",
                metadata: ["to": "\(signingKey.signer)"])
        }
    }

    /// The key that signs an event of `index`: the previous key up to the rotation to the current key, the
    /// current key after it (and without a rotation).
    private func key(
        for index: Int64, rotation: ControlStore.SigningKeyRotation?
    ) throws(PlatformAuditRotationError) -> PlatformAuditSigningKey? {
        guard let signingKey else { return nil }
        guard let rotation, rotation.index.map({ index <= $0 }) ?? true else { return signingKey }
        guard let previousKey else { throw PlatformAuditRotationError(index: index, rotation: rotation.index) }
        return previousKey
    }

    /// Attaches the oldest unrecorded events in one commit; returns how many.
    private func recordPending() async throws -> Int {
        let events = try await store.nextAuditBatch(limit: Self.batch)
        guard !events.isEmpty else { return 0 }
        var rotation: ControlStore.SigningKeyRotation?
        if let signingKey { rotation = try await store.signingKeyRotation(to: signingKey.signer) }
        let entries = try events.map { event in
            let record =
                try key(for: event.index ?? 0, rotation: rotation).map { key throws(JSONError) in
                    try event.record.signed(by: key)
                } ?? event.record
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
            tenant: tenant, operation: operation, detail: detail, nextSigner: nextSigner)
    }
}

/// Events up to a rotation must be signed by the key it hands over from, which the control plane was not given.
struct PlatformAuditRotationError: Error, CustomStringConvertible {
    let index: Int64
    let rotation: Int64?

    var description: String {
        "audit event \(index) comes before the rotation to the current signing key"
            + (rotation.map { " (event \($0))" } ?? "") + " and must be signed by the previous key: set "
            + "\(PlatformAuditSigningKey.previousEnvironmentKey) until the rotation is recorded"
    }
}
