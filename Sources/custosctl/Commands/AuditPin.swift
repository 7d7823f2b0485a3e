import ArgumentParser
import CustosCore
import CustosCrypto
import CustosLedger
import Foundation

/// What `custosctl ledger audit` remembers per log: the coordinator key it trusts and the newest checkpoint it
/// verified. A later checkpoint is accepted only if it provably extends this one.
///
/// `milestoneKey` is written only for a pin at a milestone that announced the rotation to `coordinatorKey`;
/// files without it (every other pin, and all pins of earlier versions) mean `coordinatorKey` signed the milestone.
struct AuditPin: Codable, Equatable {
    /// The log origin.
    var origin: String
    /// The trusted coordinator verifier key.
    var coordinatorKey: String
    /// The newest verified signed checkpoint note.
    var checkpoint: String
    /// The newest verified milestone message, base64: the chain of milestones is followed from here.
    var milestone: String
    /// The verifier key that signed `milestone`, if not `coordinatorKey` (the milestone announced that key).
    var milestoneKey: String?
    /// When it was verified.
    var verifiedAt: String

    /// What `LedgerAudit` follows the log from.
    var state: LedgerAudit.Pin {
        LedgerAudit.Pin(
            origin: origin, coordinatorKey: coordinatorKey, checkpoint: checkpoint, milestone: milestone,
            milestoneKey: milestoneKey)
    }

    /// A pin `LedgerAudit` decided on, verified now.
    init(_ pin: LedgerAudit.Pin, verifiedAt: String) {
        origin = pin.origin
        coordinatorKey = pin.coordinatorKey
        checkpoint = pin.checkpoint
        milestone = pin.milestone
        milestoneKey = pin.milestoneKey
        self.verifiedAt = verifiedAt
    }

    static func read(from file: URL) throws -> AuditPin {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw ValidationError("no audit state at \(file.path)")
        }
        do { return try JSONDecoder().decode(AuditPin.self, from: data) } catch {
            throw ValidationError("audit state \(file.path) is damaged: \(error)")
        }
    }

    func write(to file: URL) throws {
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let temporary = file.appendingPathExtension("tmp")
        try encoder.encode(self).write(to: temporary)
        guard rename(temporary.path, file.path) == 0 else { throw ValidationError("cannot write \(file.path)") }
    }
}

/// A pin and the file it lives in.
struct StoredPin {
    var file: URL
    var pin: AuditPin
}

/// The audit state directory (`--state-dir`, default `~/.config/custos/audit`): one file per pinned log.
///
/// A log is identified by its origin and its coordinator key together: two logs may share an origin (every
/// installation before installation identities named its tenants' logs `custos.local/<tenant>`), and they
/// must never share a pin. A pin's file is `<origin with / as _>.<first 8 hex digits of SHA-256 of the verifier
/// key string it was first pinned under>.json`; it keeps that name when the log rotates its key with
/// announcement. Files named `<origin with / as _>.json` (written by earlier versions) are read too. Files are
/// found by those names; the JSON inside decides which log a pin belongs to.
struct AuditPinStore {
    let directory: URL

    /// `--state-dir`, else `~/.config/custos/audit`.
    init(directory: String?) {
        self.directory =
            directory.map { URL(fileURLWithPath: $0) }
            ?? AdminConnection.loginFile.deletingLastPathComponent().appendingPathComponent("audit")
    }

    /// Every pin of logs with exactly this origin, in file-name order.
    func pins(origin: String) throws -> [StoredPin] {
        let prefix = Self.safe(origin)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return try names.sorted().filter { Self.isPinFile($0, prefix: prefix) }.compactMap { name in
            let file = directory.appendingPathComponent(name)
            let pin = try AuditPin.read(from: file)
            return pin.origin == origin ? StoredPin(file: file, pin: pin) : nil
        }
    }

    /// A file for a new pin of `origin` under `key` that no existing pin uses.
    func newFile(origin: String, key: String) -> URL {
        let base = "\(Self.safe(origin)).\(Hex.encode(SHA256.hash(Array(key.utf8)).prefix(4)))"
        var file = directory.appendingPathComponent("\(base).json")
        var counter = 2
        while FileManager.default.fileExists(atPath: file.path) {
            file = directory.appendingPathComponent("\(base)-\(counter).json")
            counter += 1
        }
        return file
    }

    /// The origin with every character but letters, digits, `.` and `-` replaced by `_`.
    static func safe(_ origin: String) -> String {
        String(origin.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
    }

    /// `<prefix>.json`, or `<prefix>.<hex>[-<n>].json`.
    static func isPinFile(_ name: String, prefix: String) -> Bool {
        guard name.hasPrefix(prefix), name.hasSuffix(".json") else { return false }
        let middle = name.dropFirst(prefix.count).dropLast(".json".count)
        guard let first = middle.first else { return true }
        return first == "." && middle.count > 1
            && middle.dropFirst().allSatisfy { $0.isHexDigit || $0 == "-" }
    }
}
