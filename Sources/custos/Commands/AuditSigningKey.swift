import ArgumentParser
import CustosClients
import Foundation

/// `custos audit-signing-key`: a new key for the platform audit's records, for installations that `custos up`
/// does not run, or the rotation of `custos up`'s own.
struct AuditSigningKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-signing-key",
        abstract:
            "Print a new signing key for the platform audit's records (base64 of an Ed25519 seed), or rotate one.",
        discussion: """
            For a control plane started on its own: store the key where only the control plane reads it, for \
            example `kubectl create secret generic custos-audit-signing-key --from-literal=key="$(custos \
            audit-signing-key)"`, and hand it to `custos control` in CUSTOS_AUDIT_SIGNING_KEY. Keep it: records \
            signed with another key fail `custosctl audit verify` unless the audit was handed over to it. No other \
            process needs it; a worker or gateway that holds it could sign audit records. `custos up` makes its \
            own (DATA/audit-signing.key).

            To rotate a key, give the control plane the new key in CUSTOS_AUDIT_SIGNING_KEY and the old one in \
            CUSTOS_AUDIT_SIGNING_KEY_PREVIOUS: it records the handover, signed by the old key, and signs what \
            follows with the new one. With --rotate this command does that for `custos up`'s data directory: it \
            moves audit-signing.key to audit-signing.key.previous and writes a new key; restart `custos up`, and \
            remove audit-signing.key.previous once the control plane logs that the rotation is recorded.
            """)

    @Flag(help: "Rotate the key of `custos up`'s data directory instead of printing a new one.")
    var rotate = false

    @Option(help: "With --rotate: the data directory (default: as `custos up` chooses it).")
    var dataDir: String?

    func validate() throws {
        if dataDir != nil, !rotate { throw ValidationError("--data-dir is for --rotate") }
    }

    func run() throws {
        guard rotate else { return print(PlatformAuditSigningKey().encoded) }
        let directory = DataDirectory.resolve(dataDir)
        let current = directory.auditSigningKeyFile
        let previous = directory.previousAuditSigningKeyFile
        guard let data = FileManager.default.contents(atPath: current.path) else {
            throw ValidationError("\(current.path) does not exist: `custos up` makes the key at its first start")
        }
        let old = try PlatformAuditSigningKey(encoded: String(decoding: data, as: UTF8.self))
        guard !FileManager.default.fileExists(atPath: previous.path) else {
            throw ValidationError(
                "\(previous.path) exists: an earlier rotation may not be recorded yet. Start `custos up`, wait for "
                    + "the control plane to log that the rotation is recorded, remove that file, then rotate again")
        }
        try directory.writeSecret(Array(old.encoded.utf8), to: previous)
        let new = PlatformAuditSigningKey()
        try directory.writeSecret(Array(new.encoded.utf8), to: current)
        print(
            """
            rotated the platform audit's signing key in \(directory.url.path):
              from \(old.signer) (now in \(previous.lastPathComponent))
              to   \(new.signer)
            Restart `custos up`: the control plane records the handover, signed by the old key. Remove \
            \(previous.path) once it logs that the rotation is recorded; `custosctl audit verify` follows the handover.
            """)
    }
}
