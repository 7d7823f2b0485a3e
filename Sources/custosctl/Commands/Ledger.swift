import ArgumentParser
import CustosCore
import CustosCrypto
import CustosLedger
import CustosRPC
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
                """
        )

        @Argument(help: "The tenant gateway's base URL, e.g. http://127.0.0.1:41239.")
        var gatewayURL: String

        @Option(help: "An API key of the tenant (or set CUSTOS_API_KEY).")
        var apiKey: String?

        @Option(help: "Where audit state is kept (default: ~/.config/custos/audit).")
        var stateDir: String?

        func run() async throws {
            guard let key = apiKey ?? ProcessInfo.processInfo.environment["CUSTOS_API_KEY"] else {
                throw ValidationError("pass --api-key or set CUSTOS_API_KEY")
            }
            let gateway = InternalClient(service: "gateway", baseURL: gatewayURL, bearer: key)
            let network = try await gateway.send(.GET, "/api/v1/ledger", as: LedgerAPI.Network.self)
            let latestEntry = try await gateway.send(
                .GET, "/api/v1/ledger/milestones/latest", as: LedgerAPI.MilestoneEntry.self)
            let latest = try Self.milestone(latestEntry)
            let note = String(decoding: try await gateway.sendRaw(.GET, "/api/v1/ledger/checkpoint"), as: UTF8.self)
            let file = AuditPin.defaultFile(origin: network.origin, directory: stateDir)
            let now = Timestamp.iso8601(Date())

            guard FileManager.default.fileExists(atPath: file.path) else {
                let advertised = try NoteVerifierKey(parsing: network.coordinatorKey)
                guard
                    (try? latest.payload.milestone?.verifySignature(
                        networkID: latest.networkID, key: advertised.publicKey)) != nil
                else {
                    print(
                        "the newest milestone is not signed by the advertised key (a key rotation is under way?); retry"
                    )
                    throw ExitCode(1)
                }
                let checkpoint = try Self.checkpoint(of: latest, origin: network.origin)
                try AuditPin(
                    origin: network.origin, coordinatorKey: advertised.text, checkpoint: note,
                    milestone: latestEntry.message,
                    verifiedAt: now
                ).write(to: file)
                print("pinned \(network.origin) at size \(checkpoint.size) under key \(advertised.shortName)")
                print("state: \(file.path)")
                return
            }

            let pin = try AuditPin.read(from: file)
            let pinnedKey = try NoteVerifierKey(parsing: pin.coordinatorKey)
            let pinnedMessage = try LedgerMessage(bytes: try Base64.decode(pin.milestone))
            var chain: MilestoneChain
            do { chain = try MilestoneChain(resumingAfter: pinnedMessage, signer: pinnedKey.publicKey) } catch {
                Self.alarm("the pinned milestone does not verify under the pinned key \(pinnedKey.shortName): \(error)")
            }
            let pinned = try Self.checkpoint(of: pinnedMessage, origin: pin.origin)
            let latestIndex = latest.payload.milestone?.essence.index ?? 0
            guard latestIndex >= chain.index else {
                Self.alarm(
                    "rollback: the newest milestone is \(latestIndex), older than the pinned milestone \(chain.index)")
            }
            // Follow every milestone since the pin: signatures, links and announced key rotations.
            var signer = chain.coordinatorKey
            while chain.index < latestIndex {
                let page = try await gateway.send(
                    .GET, "/api/v1/ledger/milestones?after=\(chain.index)&limit=1000", as: LedgerAPI.MilestoneList.self)
                guard !page.milestones.isEmpty else {
                    Self.alarm("milestones \(chain.index + 1) to \(latestIndex) are missing from the log")
                }
                for entry in page.milestones where chain.index < latestIndex {
                    let message = try Self.milestone(entry)
                    signer = chain.coordinatorKey
                    do { try chain.accept(message) } catch {
                        Self.alarm("milestone chain broken at milestone \(entry.index): \(error)")
                    }
                    if message.payload.milestone?.essence.nextCoordinatorKey != nil {
                        print("milestone \(entry.index): coordinator key rotation announced by the previous key")
                    }
                }
            }
            guard chain.lastMilestoneID == latest.id else {
                Self.alarm("split view: the newest milestone \(latest.id) is not the one the chain leads to")
            }
            let current = try NoteVerifierKey(name: pin.origin, publicKey: chain.coordinatorKey)
            guard network.coordinatorKey == current.text else {
                Self.alarm(
                    "KEY CHANGED without announcement: the log presents \(network.coordinatorKey), the milestone "
                        + "chain hands over to \(current.shortName)")
            }
            let newer = try Self.checkpoint(of: latest, origin: pin.origin)
            // The C2SP note must agree with the milestone it was cut from.
            let noteSigners = [current, try NoteVerifierKey(name: pin.origin, publicKey: signer)]
            if let published = try? Checkpoint.verified(note: note, keys: noteSigners), published.size == newer.size,
                published.root != newer.root
            {
                Self.alarm("split view: checkpoint and milestone of size \(newer.size) have different roots")
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
                    print("unchanged: \(pin.origin) still at size \(pinned.size)")
                case .extended(let from, let to):
                    print(
                        "consistent: \(pin.origin) grew from \(from) to \(to) entries, append-only "
                            + "(milestones \(pinnedMessage.payload.milestone?.essence.index ?? 0) to \(latestIndex))")
                }
            } catch {
                Self.alarm("\(error)")
            }
            try AuditPin(
                origin: pin.origin, coordinatorKey: current.text, checkpoint: note, milestone: latestEntry.message,
                verifiedAt: now
            ).write(to: file)
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
