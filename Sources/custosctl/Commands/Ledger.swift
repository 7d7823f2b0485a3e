import ArgumentParser
import CustosCore
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
                Fetches the tenant's newest signed checkpoint, verifies its signature under the pinned coordinator
                key, and checks a consistency proof from the pinned checkpoint to the new one. The first run pins
                the key and checkpoint it sees (trust on first use; compare the key with the one the tenant
                publishes). A rollback, a split view, a bad signature or a changed key is reported loudly and
                exits with status 2; the pin is then left unchanged.
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
            let note = String(decoding: try await gateway.sendRaw(.GET, "/api/v1/ledger/checkpoint"), as: UTF8.self)
            let file = AuditPin.defaultFile(origin: network.origin, directory: stateDir)
            let now = Timestamp.iso8601(Date())

            guard FileManager.default.fileExists(atPath: file.path) else {
                let advertised = try NoteVerifierKey(parsing: network.coordinatorKey)
                let checkpoint = try Self.verified(note, key: advertised)
                try AuditPin(origin: network.origin, coordinatorKey: advertised.text, checkpoint: note, verifiedAt: now)
                    .write(to: file)
                print("pinned \(network.origin) at size \(checkpoint.size) under key \(advertised.shortName)")
                print("state: \(file.path)")
                return
            }
            let pin = try AuditPin.read(from: file)
            let pinnedKey = try NoteVerifierKey(parsing: pin.coordinatorKey)
            guard network.coordinatorKey == pin.coordinatorKey else {
                Self.alarm(
                    "COORDINATOR KEY CHANGED: pinned \(pinnedKey.shortName), the log now presents "
                        + "\((try? NoteVerifierKey(parsing: network.coordinatorKey).shortName) ?? network.coordinatorKey). "
                        + "A legitimate rotation is announced in a milestone signed by the old key; verify it before "
                        + "re-pinning (delete \(file.path))."
                )
            }
            let pinned = try Self.verified(pin.checkpoint, key: pinnedKey)
            let newer: Checkpoint
            do { newer = try Checkpoint.verified(note: note, keys: [pinnedKey]) } catch {
                Self.alarm("CHECKPOINT SIGNATURE INVALID under the pinned key \(pinnedKey.shortName): \(error)")
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
                    print("unchanged: \(network.origin) still at size \(pinned.size)")
                case .extended(let from, let to):
                    print("consistent: \(network.origin) grew from \(from) to \(to) entries, append-only")
                }
            } catch {
                Self.alarm("\(error)")
            }
            try AuditPin(origin: pin.origin, coordinatorKey: pin.coordinatorKey, checkpoint: note, verifiedAt: now)
                .write(to: file)
        }

        static func verified(_ note: String, key: NoteVerifierKey) throws -> Checkpoint {
            do { return try Checkpoint.verified(note: note, keys: [key]) } catch {
                alarm("CHECKPOINT SIGNATURE INVALID under \(key.shortName): \(error)")
            }
        }

        /// Prints to standard error and exits with status 2: audit failures must not scroll by unnoticed.
        static func alarm(_ message: String) -> Never {
            FileHandle.standardError.write(Data("AUDIT FAILED: \(message)\n".utf8))
            Foundation.exit(2)
        }
    }
}
