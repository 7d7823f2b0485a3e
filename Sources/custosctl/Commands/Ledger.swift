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

        /// What the log serves now.
        struct Observation {
            var network: LedgerAPI.Network
            var latestEntry: LedgerAPI.MilestoneEntry
            var latest: LedgerMessage
            var note: String
            var time: String
        }

        /// A successful audit against a pin: the pin to store and what to report.
        struct Audited {
            var pin: AuditPin
            var report: [String]
        }

        /// Why the log does not extend a pin: `message` for an audit of that log, `detail` for the KEY DIFFERS
        /// report, which cannot say whether the pin is of the same log.
        struct Mismatch: Error {
            var message: String
            var detail: String

            init(_ message: String, detail: String? = nil) {
                self.message = message
                self.detail = detail ?? message
            }
        }

        func run() async throws {
            guard let key = apiKey ?? ProcessInfo.processInfo.environment["CUSTOS_API_KEY"] else {
                throw ValidationError("pass --api-key or set CUSTOS_API_KEY")
            }
            let gateway = InternalClient(service: "gateway", baseURL: gatewayURL, bearer: key)
            let network = try await gateway.send(.GET, "/api/v1/ledger", as: LedgerAPI.Network.self)
            let latestEntry = try await gateway.send(
                .GET, "/api/v1/ledger/milestones/latest", as: LedgerAPI.MilestoneEntry.self)
            let observation = Observation(
                network: network, latestEntry: latestEntry, latest: try Self.milestone(latestEntry),
                note: String(decoding: try await gateway.sendRaw(.GET, "/api/v1/ledger/checkpoint"), as: UTF8.self),
                time: Timestamp.iso8601(Date()))
            let store = AuditPinStore(directory: stateDir)
            let pins = try store.pins(origin: network.origin)

            guard !pins.isEmpty else {
                try Self.pinNewLog(observation, in: store, confirmedKey: newLogKey)
                return
            }
            // The pin under the key the log presents is this log's: whatever fails against it is the log's fault.
            if let same = pins.first(where: { $0.pin.coordinatorKey == network.coordinatorKey }) {
                switch try await Self.follow(same.pin, observation, gateway) {
                case .success(let audited): try Self.store(audited, to: same.file)
                case .failure(let mismatch): Self.alarm(mismatch.message)
                }
                if newLogKey != nil {
                    print("--new-log-key ignored: the log presents the key pinned in \(same.file.path)")
                }
                return
            }
            // Another key: only a rotation announced in the log, from one of this origin's pins, leads to it.
            var mismatches: [(StoredPin, Mismatch)] = []
            for stored in pins {
                switch try await Self.follow(stored.pin, observation, gateway) {
                case .success(let audited):
                    try Self.store(audited, to: stored.file)
                    return
                case .failure(let mismatch): mismatches.append((stored, mismatch))
                }
            }
            if let newLogKey {
                try Self.pinNewLog(observation, in: store, confirmedKey: newLogKey, beside: pins)
                return
            }
            Self.keyDiffers(observation, mismatches, command: commandLine(presentedKey: network.coordinatorKey))
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

        /// Pins a log whose origin has no pin (trust on first use), or, with `confirmedKey`, a different log with
        /// a pinned origin.
        static func pinNewLog(
            _ observation: Observation, in store: AuditPinStore, confirmedKey: String? = nil, beside: [StoredPin] = []
        ) throws {
            let network = observation.network
            let advertised = try NoteVerifierKey(parsing: network.coordinatorKey)
            if let confirmedKey {
                let confirmed: NoteVerifierKey
                do { confirmed = try NoteVerifierKey(parsing: confirmedKey) } catch {
                    throw ValidationError("--new-log-key is not a note verifier key: \(error)")
                }
                guard confirmed == advertised else {
                    alarm(
                        "the log presents \(advertised.text), not the key given with --new-log-key "
                            + "(\(confirmed.text)); nothing was pinned")
                }
            }
            let latest = observation.latest
            guard
                (try? latest.payload.milestone?.verifySignature(networkID: latest.networkID, key: advertised.publicKey))
                    != nil
            else {
                print("the newest milestone is not signed by the advertised key (a key rotation is under way?); retry")
                throw ExitCode(1)
            }
            let checkpoint = try Self.checkpoint(of: latest, origin: network.origin)
            let file = store.newFile(origin: network.origin, key: advertised.text)
            try AuditPin(
                origin: network.origin, coordinatorKey: advertised.text, checkpoint: observation.note,
                milestone: observation.latestEntry.message, verifiedAt: observation.time
            ).write(to: file)
            if beside.isEmpty {
                print("pinned \(network.origin) at size \(checkpoint.size) under key \(advertised.shortName)")
            } else {
                let others = try beside.map { try NoteVerifierKey(parsing: $0.pin.coordinatorKey).shortName }
                print(
                    "pinned a NEW log \(network.origin) at size \(checkpoint.size) under key \(advertised.shortName), "
                        + "as you confirmed; the pins of other logs with this origin (\(others.joined(separator: ", ")))"
                        + " are kept")
            }
            print("state: \(file.path)")
        }

        static func store(_ audited: Audited, to file: URL) throws {
            for line in audited.report { print(line) }
            try audited.pin.write(to: file)
        }

        /// Follows the log from a pin to what it serves now: the milestone chain with its announced rotations, the
        /// key the log presents, and a consistency proof from the pinned checkpoint to the newest one.
        /// Transport and format errors are thrown, not reported as a mismatch.
        static func follow(_ pin: AuditPin, _ observation: Observation, _ gateway: InternalClient) async throws
            -> Result<Audited, Mismatch>
        {
            do { return .success(try await audit(pin, observation, gateway)) } catch let mismatch as Mismatch {
                return .failure(mismatch)
            }
        }

        private static func audit(_ pin: AuditPin, _ observation: Observation, _ gateway: InternalClient) async throws
            -> Audited
        {
            let (network, latest) = (observation.network, observation.latest)
            let pinnedKey: NoteVerifierKey
            let pinnedMessage: LedgerMessage
            do {
                pinnedKey = try NoteVerifierKey(parsing: pin.coordinatorKey)
                pinnedMessage = try LedgerMessage(bytes: try Base64.decode(pin.milestone))
            } catch { throw Mismatch("the pin is damaged: \(error)") }
            var chain: MilestoneChain
            do { chain = try MilestoneChain(resumingAfter: pinnedMessage, signer: pinnedKey.publicKey) } catch {
                throw Mismatch(
                    "the pinned milestone does not verify under the pinned key \(pinnedKey.shortName): \(error)")
            }
            let pinned = try Self.checkpoint(of: pinnedMessage, origin: pin.origin)
            let latestIndex = latest.payload.milestone?.essence.index ?? 0
            guard latestIndex >= chain.index else {
                throw Mismatch(
                    "rollback: the newest milestone is \(latestIndex), older than the pinned milestone \(chain.index)",
                    detail: "the log's newest milestone \(latestIndex) comes before the pinned milestone \(chain.index)"
                )
            }
            // Follow every milestone since the pin: signatures, links and announced key rotations.
            var report: [String] = []
            var signer = chain.coordinatorKey
            while chain.index < latestIndex {
                let page = try await gateway.send(
                    .GET, "/api/v1/ledger/milestones?after=\(chain.index)&limit=1000", as: LedgerAPI.MilestoneList.self)
                guard !page.milestones.isEmpty else {
                    throw Mismatch("milestones \(chain.index + 1) to \(latestIndex) are missing from the log")
                }
                for entry in page.milestones where chain.index < latestIndex {
                    let message = try Self.milestone(entry)
                    signer = chain.coordinatorKey
                    do { try chain.accept(message) } catch {
                        throw Mismatch(
                            "milestone chain broken at milestone \(entry.index): \(error)",
                            detail: "milestone \(entry.index) does not continue the pinned chain: \(error)")
                    }
                    if message.payload.milestone?.essence.nextCoordinatorKey != nil {
                        report.append(
                            "milestone \(entry.index): coordinator key rotation announced by the previous key")
                    }
                }
            }
            guard chain.lastMilestoneID == latest.id else {
                throw Mismatch("split view: the newest milestone \(latest.id) is not the one the chain leads to")
            }
            let current = try NoteVerifierKey(name: pin.origin, publicKey: chain.coordinatorKey)
            guard network.coordinatorKey == current.text else {
                throw Mismatch(
                    "KEY CHANGED without announcement: the log presents \(network.coordinatorKey), the milestone "
                        + "chain hands over to \(current.shortName)",
                    detail: "the pinned milestone chain leads to key \(current.shortName), not to the presented key")
            }
            let newer = try Self.checkpoint(of: latest, origin: pin.origin)
            // The C2SP note must agree with the milestone it was cut from.
            let noteSigners = [current, try NoteVerifierKey(name: pin.origin, publicKey: signer)]
            if let published = try? Checkpoint.verified(note: observation.note, keys: noteSigners),
                published.size == newer.size, published.root != newer.root
            {
                throw Mismatch("split view: checkpoint and milestone of size \(newer.size) have different roots")
            }
            var proof: [Digest32] = []
            if newer.size > pinned.size && pinned.size > 0 {
                let answer = try await gateway.send(
                    .GET, "/api/v1/ledger/consistency?from=\(pinned.size)&to=\(newer.size)",
                    as: LedgerAPI.ConsistencyProof.self)
                proof = try answer.proof.map { try Digest32(bytes: try Base64.decode($0)) }
            }
            do {
                switch try ConsistencyCheck.verify(pinned: pinned, newer: newer, proof: proof) {
                case .unchanged:
                    report.append("unchanged: \(pin.origin) still at size \(pinned.size)")
                case .extended(let from, let to):
                    report.append(
                        "consistent: \(pin.origin) grew from \(from) to \(to) entries, append-only "
                            + "(milestones \(pinnedMessage.payload.milestone?.essence.index ?? 0) to \(latestIndex))")
                }
            } catch {
                throw Mismatch("\(error)")
            }
            let updated = AuditPin(
                origin: pin.origin, coordinatorKey: current.text, checkpoint: observation.note,
                milestone: observation.latestEntry.message, verifiedAt: observation.time)
            return Audited(pin: updated, report: report)
        }

        /// The origin is pinned, but under other keys, and no pin's milestone chain leads to the presented key.
        static func keyDiffers(_ observation: Observation, _ mismatches: [(StoredPin, Mismatch)], command: String)
            -> Never
        {
            let network = observation.network
            let presented = (try? NoteVerifierKey(parsing: network.coordinatorKey))?.shortName ?? network.coordinatorKey
            var lines = [
                "KEY DIFFERS: \(network.origin) presents coordinator key \(presented), but this origin is pinned "
                    + "under another key and no key rotation announced in the log leads from it to the presented key:"
            ]
            for (stored, mismatch) in mismatches {
                let key = (try? NoteVerifierKey(parsing: stored.pin.coordinatorKey))?.shortName ?? "?"
                lines.append("  pin \(stored.file.path) (key \(key)): \(mismatch.detail)")
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

        static func milestone(_ entry: LedgerAPI.MilestoneEntry) throws -> LedgerMessage {
            let message = try LedgerMessage(bytes: try Base64.decode(entry.message))
            guard message.payload.milestone != nil, message.id.hex == entry.messageId else {
                alarm("milestone \(entry.index) is malformed or does not match its id")
            }
            return message
        }

        /// The checkpoint a milestone commits to (its signature is checked by the caller or the chain).
        static func checkpoint(of message: LedgerMessage, origin: String) throws -> Checkpoint {
            guard let essence = message.payload.milestone?.essence else { alarm("not a milestone") }
            return try Checkpoint(origin: origin, size: essence.logSize, root: essence.logRoot)
        }

        /// Prints to standard error and exits with status 2: audit failures must not scroll by unnoticed.
        static func alarm(_ message: String) -> Never {
            FileHandle.standardError.write(Data("AUDIT FAILED: \(message)\n".utf8))
            Foundation.exit(2)
        }
    }
}
