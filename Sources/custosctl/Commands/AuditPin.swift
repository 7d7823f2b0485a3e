import ArgumentParser
import Foundation

/// What `custosctl ledger audit` remembers per log: the coordinator key it trusts and the newest checkpoint it
/// verified. A later checkpoint is accepted only if it provably extends this one.
struct AuditPin: Codable, Equatable {
    /// The log origin.
    var origin: String
    /// The trusted coordinator verifier key.
    var coordinatorKey: String
    /// The newest verified signed checkpoint note.
    var checkpoint: String
    /// The newest verified milestone message, base64: the chain of milestones is followed from here.
    var milestone: String
    /// When it was verified.
    var verifiedAt: String

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

    /// The default state file of an origin: `~/.config/custos/audit/<origin with / as _>.json`.
    static func defaultFile(origin: String, directory: String?) -> URL {
        let base =
            directory.map { URL(fileURLWithPath: $0) }
            ?? AdminConnection.loginFile.deletingLastPathComponent().appendingPathComponent("audit")
        let safe = String(origin.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
        return base.appendingPathComponent("\(safe).json")
    }
}
