import ArgumentParser
import CustosClients
import CustosCore
import CustosLedger
import Foundation

/// `custosctl audit ...`: the platform's own audit ledger, where every control-plane mutation is an entry.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List and verify the platform's audit: every control-plane mutation, with a receipt.",
        discussion: """
            Every change the control plane makes (tenant operations as they start and end, API key creations, \
            revocations and rotations, policy changes, coordinator key rotations) is an entry of the platform's \
            own private ledger, with a receipt like any tenant's entry: who, what, when, which operation.
            """,
        subcommands: [List.self, VerifyEntries.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List audit entries, oldest first, as the ledger holds them.")

        @Option(help: "How many entries.")
        var limit: Int = 100

        @Option(help: "Start after this cursor (the `next` a previous page printed).")
        var after: Int?

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let page = try await connection.client().auditEntries(after: after, limit: limit)
            if connection.json { return try connection.printJSON(page) }
            for entry in page.entries {
                let event = entry.event
                print(
                    "\(event.sequence)\t\(AdminConnection.timestamp(event.at))\t\(event.actor)\t\(event.tenant ?? "-")"
                        + "\t\(event.event)\t\(event.operation ?? "-")\t\(event.detail)")
            }
            if let next = page.next { print("more: custosctl audit list --after \(next)") }
        }
    }

    struct VerifyEntries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Verify every audit entry's receipt offline under the platform's pinned coordinator key.",
            discussion: """
                Each entry's receipt must verify under the coordinator key (RFC 6962 inclusion in a signed \
                checkpoint), commit to exactly the bytes listed, and those bytes must be the event the listing \
                shows. Entries must be listed in the log's leaf order and carry an index, 1, 2, 3, ... without \
                gaps: a gap, a reordering or an index repeated with other content fails; an index repeated with \
                the same content (a control plane killed between attaching an event and noting it) is reported, \
                not failed. Every receipt's checkpoint must be a prefix of the newest (consistency proofs from \
                GET /admin/v1/audit/consistency). The first run pins the key the control plane presents (trust on \
                first use; compare it out of band, or pass --key); later runs refuse another key. Each passing \
                run also keeps the newest entry and its checkpoint: a later run must find that entry at the same \
                index and leaf, reach at least as far, and present a log that extends the kept checkpoint, so \
                entries removed or replaced and histories rewritten since are caught, whoever signs. The listing \
                must reach the newest signed checkpoint seen (every leaf of the audit ledger is an entry): \
                confirmed entries left out at its end fail the run. Entries under no checkpoint the run sees \
                cannot be told from entries not yet recorded; run it often.

                Records are signed by the control plane's audit signing key: after the first signed record, every \
                record must be signed, by the first signer or, after a rotation record (signed by the key it hands \
                over from), by the key it names. The chain of keys must include --control-key and the key kept \
                from the last passing run, which then keeps the chain's newest key; with neither, the newest is \
                pinned now (compare it out of band).

                With -o json or -o yaml it prints one document at the end instead of lines: valid, origin, \
                coordinatorKey, entries, top, repeats, unsigned, pending, signers (each key and the first entry it \
                signs), rejected and notes.

                Exit status: 0 when every entry verifies, 2 when any fails or the key differs from the pin.
                """)

        @Option(help: "The platform ledger's coordinator key (<origin>+<keyid>+<base64>); default: the pinned one.")
        var key: String?

        @Option(
            help: """
                A control-plane audit signing key the records' chain of signers must include (base64 of the \
                Ed25519 public key, as records name it in `signer`); the kept one must be in it too.
                """)
        var controlKey: String?

        @Option(help: "Where the pinned keys are kept (default: ~/.config/custos/audit).")
        var stateDir: String?

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let client = try connection.client()
            let audit = try await client.platformAudit()
            var report = AuditVerifyReport(
                origin: audit.origin, coordinatorKey: key ?? audit.coordinatorKey, structured: connection.json)
            let trusted = try trustedKey(presented: audit, report: &report)
            let mark = HighWaterMark(file: stateFile(audit, "top"))
            let pinned = try mark.read()
            let signerFile = stateFile(audit, "signer")
            let pinnedSigner = FileManager.default.contents(atPath: signerFile.path).map {
                String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            var signers = PlatformAuditCheck.Signers(trusted: [controlKey, pinnedSigner].compactMap(\.self))
            var atPin: PlatformAuditCheck.Proven?
            // The checkpoints the receipts were under, by size: each must be one log, the newest's prefix.
            var checkpoints: [UInt64: Checkpoint] = [:]
            var order = PlatformAuditCheck.Order()
            func reject(_ reason: String) { report.reject(reason) }
            // The ids of the last page read, which is read again when it may have grown.
            var lastPage: (after: Int?, ids: Set<String>) = (nil, [])
            func read(from start: Int?) async throws {
                var after = start
                repeat {
                    let page = try await client.auditEntries(after: after, limit: 1000)
                    let fresh =
                        after == lastPage.after
                        ? page.entries.filter { !lastPage.ids.contains($0.messageId) } : page.entries
                    lastPage = (after, Set(page.entries.map(\.messageId)))
                    try await verify(fresh)
                    if order.count / 1000 != (order.count - fresh.count) / 1000 {
                        FileHandle.standardError.write(Data("verified \(order.count) entries\n".utf8))
                    }
                    after = page.next
                } while after != nil
            }
            func verify(_ entries: [ControlAPI.AuditEntry]) async throws {
                for entry in entries {
                    do {
                        let receipt = try await Self.receipt(of: entry, client)
                        let proven = try PlatformAuditCheck.verify(
                            entry, receipt: receipt, trustedKey: trusted, origin: audit.origin)
                        let repeated = order.isRepeat(proven.record)
                        if let problem = order.add(proven) { reject(problem) }
                        if !repeated, let problem = signers.add(proven.record) { reject(problem) }
                        if proven.record.index == pinned?.index, atPin == nil { atPin = proven }
                        if let checkpoint = proven.checkpoint {
                            if let seen = checkpoints[checkpoint.size], seen != checkpoint {
                                reject("two checkpoints of size \(checkpoint.size) with different roots: a split view")
                            }
                            checkpoints[checkpoint.size] = checkpoint
                        }
                    } catch let error as PlatformAuditError {
                        order.skip()
                        reject("entry \(entry.messageId) (index \(entry.event.index ?? 0)): \(error)")
                    }
                }
            }
            func newestSize() -> UInt64 { max(checkpoints.keys.max() ?? 0, pinned?.checkpoint.size ?? 0) }
            try await read(from: nil)
            // The listing must reach the newest signed checkpoint. Entries confirmed while this run read (a receipt
            // fetched late is under a newer checkpoint) are picked up by reading the last page again.
            for _ in 0..<5 where newestSize() > order.leavesShown {
                try await Task.sleep(for: .milliseconds(200))
                try await read(from: lastPage.after)
            }
            if let problem = order.heldBack(under: newestSize()) { reject(problem) }
            if let problem = signers.untrusted() { reject(problem) }
            if let pinned {
                if order.top < pinned.index {
                    reject(
                        "the audit reached index \(pinned.index) when verified before (\(mark.file.path)), now only "
                            + "\(order.top): entries were removed")
                } else if atPin?.messageID != pinned.messageID || atPin?.leafIndex != pinned.leafIndex {
                    reject(
                        "entry \(pinned.index) is not the entry \(pinned.messageID) at leaf \(pinned.leafIndex) "
                            + "verified before")
                }
            }
            if let newest = checkpoints.keys.max().flatMap({ checkpoints[$0] }) {
                // Every receipt's log, and the one verified before, must be a prefix of the newest.
                for checkpoint in checkpoints.values where checkpoint.size < newest.size {
                    if let problem = await Self.extends(checkpoint, newest, client) { reject(problem) }
                }
                if let pinned, let problem = await Self.extends(pinned.checkpoint, newest, client) {
                    reject(problem)
                }
            }
            if report.valid, let newest = order.newest { try mark.write(newest) }
            if report.valid, let signer = signers.current, signer != pinnedSigner {
                try Self.writePin(signer, to: signerFile)
                report.pin(
                    (pinnedSigner == nil && controlKey == nil
                        ? "pinned the control plane's audit signing key \(signer) in \(signerFile.path) (compare it out "
                            + "of band)"
                        : "the control plane's audit signing key is now \(signer), kept in \(signerFile.path)"))
            }
            report.entries = order.count
            report.top = order.top
            report.repeats = order.repeats
            report.unsigned = signers.unsigned
            report.pending = audit.pending
            report.signers = signers.chain
            if order.repeats > 0 {
                report.note(
                    "\(order.repeats) entries repeat an earlier index and content (recorded again after a restart)")
            }
            if signers.unsigned > 0 {
                let why =
                    signers.current == nil
                    ? "it has no audit signing key: whoever holds the service token could have written them"
                    : "recorded before the control plane had its audit signing key"
                report.note("\(signers.unsigned) entries are not signed by the control plane (\(why))")
            }
            if audit.pending > 0 { report.note("\(audit.pending) events wait to be recorded; run again shortly") }
            if connection.json {
                try connection.printJSON(report)
            } else {
                report.printVerdict(shortKey: trusted.shortName)
            }
            if !report.valid { throw ExitCode(2) }
        }

        /// `platform-<origin>.<suffix>` in the state directory.
        private func stateFile(_ audit: ControlAPI.PlatformAudit, _ suffix: String) -> URL {
            AuditPinStore(directory: stateDir).directory.appendingPathComponent(
                "platform-\(AuditPinStore.safe(audit.origin)).\(suffix)")
        }

        /// The receipt of an entry, waiting up to 5 s for the milestone that confirms a very recent one.
        static func receipt(of entry: ControlAPI.AuditEntry, _ client: ControlClient) async throws -> [UInt8] {
            for _ in 0..<50 {
                do { return try await client.auditReceipt(messageID: entry.messageId) } catch let error as RPCError
                    where error.status == 409
                {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            return try await client.auditReceipt(messageID: entry.messageId)
        }

        /// Why `newer` does not extend `kept` (a receipt's checkpoint, or the one a previous run kept), if it does
        /// not: a smaller log, another root at the same size, or a consistency proof that fails, which no key can
        /// forge.
        static func extends(_ kept: Checkpoint, _ newer: Checkpoint, _ client: ControlClient) async -> String? {
            do {
                let proof =
                    newer.size > kept.size ? try await client.auditConsistency(from: kept.size, to: newer.size) : []
                _ = try ConsistencyCheck.verify(pinned: kept, newer: newer, proof: proof)
                return nil
            } catch {
                return
                    "the audit ledger at size \(newer.size) does not extend its checkpoint of size \(kept.size): \(error)"
            }
        }

        /// --key, else the pinned key (which must be the one presented), else the presented key, pinned now.
        private func trustedKey(
            presented audit: ControlAPI.PlatformAudit, report: inout AuditVerifyReport
        ) throws -> NoteVerifierKey {
            func parse(_ text: String, _ source: String) throws -> NoteVerifierKey {
                do { return try NoteVerifierKey(parsing: text) } catch {
                    throw ValidationError("\(source) is not a note verifier key: \(error)")
                }
            }
            if let key { return try parse(key, "--key") }
            let file = stateFile(audit, "key")
            if let pinned = FileManager.default.contents(atPath: file.path) {
                let text = String(decoding: pinned, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                guard text == audit.coordinatorKey else {
                    let reason =
                        "KEY DIFFERS: the control plane presents \(audit.coordinatorKey), not the key pinned in "
                        + "\(file.path) (\(text)); nothing was verified"
                    if connection.json {
                        report.reject(reason)
                        try connection.printJSON(report)
                    } else {
                        print(reason)
                    }
                    throw ExitCode(2)
                }
                return try parse(text, file.path)
            }
            let key = try parse(audit.coordinatorKey, "the presented key")
            try Self.writePin(audit.coordinatorKey, to: file)
            report.pin("pinned the platform audit key \(key.shortName) in \(file.path) (compare it out of band)")
            return key
        }

        /// Writes a pinned key, a line of text, creating the state directory (mode 0700) when needed.
        static func writePin(_ key: String, to file: URL) throws {
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try Data((key + "\n").utf8).write(to: file)
        }
    }

    /// The newest entry a verification saw and the checkpoint its receipt was under: a later verification must
    /// see that entry at the same index and leaf, reach at least as far, and present a checkpoint that provably
    /// extends the kept one, or entries were removed, replaced or the history rewritten since.
    struct HighWaterMark {
        struct Kept: Codable {
            var index: Int64
            var messageId: String
            var leafIndex: UInt64
            var checkpoint: String
        }

        let file: URL

        func read() throws -> (index: Int64, messageID: String, leafIndex: UInt64, checkpoint: Checkpoint)? {
            guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
            do {
                let kept = try JSONDecoder().decode(Kept.self, from: data)
                return (kept.index, kept.messageId, kept.leafIndex, try Checkpoint(text: kept.checkpoint))
            } catch {
                throw ValidationError("\(file.path) is damaged (\(error)); remove it to start over from this run")
            }
        }

        func write(_ entry: PlatformAuditCheck.Proven) throws {
            guard let checkpoint = entry.checkpoint else { return }
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let kept = Kept(
                index: entry.record.index, messageId: entry.messageID, leafIndex: entry.leafIndex,
                checkpoint: checkpoint.text)
            try encoder.encode(kept).write(to: file, options: .atomic)
        }
    }
}
