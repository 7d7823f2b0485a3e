import ArgumentParser
import CustosClients
import CustosCore
import CustosCrypto
import CustosLedger
import Foundation

/// `custosctl ledger ...`.
struct Ledger: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Audit a tenant's ledger.", subcommands: [Audit.self])

    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check that a tenant's log only ever grew since the last audit.",
            discussion: """
                Fetches the tenant's newest milestone and signed checkpoint and follows every milestone since the \
                pinned one: each must be signed by the key in force (a rotation is accepted only when the previous \
                key announced it), link to its predecessor, and commit to a log that a consistency proof shows to \
                extend the pinned log. The first run pins what it sees (trust on first use: compare the key with \
                the one the tenant publishes). A rollback, a split view, a bad signature, a broken milestone \
                chain or an unannounced key change is reported loudly and exits with status 2; the pin then \
                stays as it was.

                A log is known by its origin together with its coordinator key, and one state directory holds \
                the pins of many logs. A log whose origin was never pinned is a new log and gets its own pin. A \
                log that presents a pinned origin under another key, with no rotation announced in the log \
                leading from the pinned key to it, fails the audit with KEY DIFFERS (status 2): it is either the \
                pinned log with its key replaced behind your back, or a different log that reuses the origin \
                (installations before installation identities all named their logs custos.local/<tenant>), and \
                nothing the log serves tells the two apart. Once you have confirmed out of band (the tenant's \
                trust root DID document, its operator) that it is a different log, run again with \
                --new-log-key and the presented key to pin it beside the existing pin.
                """
        )

        @Argument(help: "The tenant gateway's base URL, e.g. http://127.0.0.1:41239.")
        var gatewayURL: String

        @Option(help: "An API key of the tenant (or set CUSTOS_API_KEY).")
        var apiKey: String?

        @Option(help: "Where audit state is kept (default: ~/.config/custos/audit).")
        var stateDir: String?

        @Option(
            help: ArgumentHelp(
                "After a KEY DIFFERS failure: pin the log as a different log with the same origin, trusting this "
                    + "coordinator key (<origin>+<keyid>+<base64>), which you confirmed out of band.",
                valueName: "key"))
        var newLogKey: String?

        func run() async throws {
            guard let key = apiKey ?? ProcessInfo.processInfo.environment["CUSTOS_API_KEY"] else {
                throw ValidationError("pass --api-key or set CUSTOS_API_KEY")
            }
            let gateway = TenantClient(baseURL: gatewayURL, apiKey: key)
            let network = try await gateway.ledger()
            let presented = LedgerAudit.Presented(
                origin: network.origin, coordinatorKey: network.coordinatorKey,
                newestMilestone: LedgerAudit.MilestoneEntry(try await gateway.latestMilestone()),
                checkpoint: try await gateway.checkpoint())
            let time = Timestamp.iso8601(Date())
            let store = AuditPinStore(directory: stateDir)
            let pins = try store.pins(origin: network.origin)

            let verdict: LedgerAudit.Verdict
            do {
                var audit = try LedgerAudit(
                    pins: pins.map(\.pin.state), presented: presented, confirmedNewLogKey: newLogKey)
                verdict = try await Self.drive(&audit, gateway)
            } catch let error as LedgerAuditError {
                try fail(error, pins)
            }
            switch verdict {
            case .firstUse(let log), .newLog(let log):
                let file = store.newFile(origin: log.pin.origin, key: log.key.text)
                try AuditPin(log.pin, verifiedAt: time).write(to: file)
                if case .firstUse = verdict {
                    print("pinned \(log.pin.origin) at size \(log.size) under key \(log.key.shortName)")
                } else {
                    let others = try pins.map { try NoteVerifierKey(parsing: $0.pin.coordinatorKey).shortName }
                    print(
                        "pinned a NEW log \(log.pin.origin) at size \(log.size) under key \(log.key.shortName), "
                            + "as you confirmed; the pins of other logs with this origin "
                            + "(\(others.joined(separator: ", "))) are kept")
                }
                print("state: \(file.path)")
            case .consistent(let index, let audited), .rotated(let index, let audited):
                for line in audited.report { print(line) }
                try AuditPin(audited.pin, verifiedAt: time).write(to: pins[index].file)
                if case .consistent = verdict, newLogKey != nil {
                    print("--new-log-key ignored: the log presents the key pinned in \(pins[index].file.path)")
                }
            }
        }

        /// Runs the audit to its verdict, fetching what it asks for. Transport and format errors are thrown as
        /// they are; audit failures as `LedgerAuditError`.
        static func drive(_ audit: inout LedgerAudit, _ gateway: TenantClient) async throws -> LedgerAudit.Verdict {
            var step = try audit.start()
            while true {
                switch step {
                case .milestones(let after):
                    let page = try await gateway.milestones(after: Int(after), limit: 1000)
                    step = try audit.consume(milestones: page.map(LedgerAudit.MilestoneEntry.init))
                case .consistencyProof(let from, let to):
                    // Sizes come from signed checkpoints; one beyond Int.max is not a log this client can audit.
                    guard let from = Int(exactly: from), let to = Int(exactly: to) else {
                        throw LedgerAuditError.malformedInput("log size \(to) is out of range")
                    }
                    let answer = try await gateway.consistency(from: from, to: to)
                    step = try audit.consume(proof: try answer.proof.map { try Digest32(bytes: Array($0.data)) })
                case .verdict(let verdict):
                    return verdict
                }
            }
        }

        /// Reports a failed audit: loudly with status 2, or, for what is not evidence against the log, as before.
        private func fail(_ error: LedgerAuditError, _ pins: [StoredPin]) throws -> Never {
            switch error {
            case .malformedInput:
                throw error
            case .newestMilestoneUnsigned:
                print(error.description)
                throw ExitCode(1)
            case .confirmedKeyMalformed(let reason):
                throw ValidationError("--new-log-key is not a note verifier key: \(reason)")
            case .confirmedKeyNotPresented(let presented, let confirmed):
                Self.alarm(
                    "the log presents \(presented), not the key given with --new-log-key (\(confirmed)); "
                        + "nothing was pinned")
            case .keyDiffers(let origin, let presented, let mismatches):
                Self.keyDiffers(
                    origin: origin, presented: presented,
                    mismatches.map { (pins[$0.pin], $0.reason) }, command: commandLine(presentedKey: presented))
            default:
                Self.alarm(error.description)
            }
        }

        /// The command that pins the presented log beside the existing pins, for the KEY DIFFERS report.
        private func commandLine(presentedKey: String) -> String {
            var words = ["custosctl", "ledger", "audit", gatewayURL]
            if let stateDir { words += ["--state-dir", stateDir] }
            return (words + ["--new-log-key", presentedKey]).map(Self.shellQuoted).joined(separator: " ")
        }

        static func shellQuoted(_ word: String) -> String {
            let plain = word.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "+-./:=_@".unicodeScalars.contains($0)
            }
            return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }

        /// The origin is pinned, but under other keys, and no pin's milestone chain leads to the presented key.
        static func keyDiffers(
            origin: String, presented presentedKey: String, _ mismatches: [(StoredPin, LedgerAuditError)],
            command: String
        ) -> Never {
            let presented = (try? NoteVerifierKey(parsing: presentedKey))?.shortName ?? presentedKey
            var lines = [
                "KEY DIFFERS: \(origin) presents coordinator key \(presented), but this origin is pinned "
                    + "under another key and no key rotation announced in the log leads from it to the presented key:"
            ]
            for (stored, mismatch) in mismatches {
                let key = (try? NoteVerifierKey(parsing: stored.pin.coordinatorKey))?.shortName ?? "?"
                lines.append("  pin \(stored.file.path) (key \(key)): \(mismatch.neutralDescription)")
            }
            lines += [
                "Either this is the pinned log and its key was replaced without announcement, or it is a different "
                    + "log that uses the same origin (before installation identities, every installation named "
                    + "its logs custos.local/<tenant>). Nothing the log serves tells the two apart; no pin was changed.",
                "If you have confirmed out of band (the tenant's trust root DID document, its operator) that this is "
                    + "a different log, pin it beside the existing pin with (and --api-key or CUSTOS_API_KEY):",
                "  \(command)",
            ]
            alarm(lines.joined(separator: "\n"))
        }

        /// Prints to standard error and exits with status 2: audit failures must not scroll by unnoticed.
        static func alarm(_ message: String) -> Never {
            FileHandle.standardError.write(Data("AUDIT FAILED: \(message)\n".utf8))
            Foundation.exit(2)
        }
    }
}

extension LedgerAudit.MilestoneEntry {
    /// A milestone as the gateway serves it.
    init(_ entry: TenantAPI.Milestone) {
        self.init(index: entry.index, messageID: entry.messageId, message: Base64.encode(Array(entry.message.data)))
    }
}
