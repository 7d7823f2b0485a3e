import Foundation
import Subprocess
import SystemPackage

/// Runs short administrative commands (initdb, pg_ctl, useradd) and captures their output.
struct CommandRunner: Sendable {
    /// The unprivileged user to run as when this process is root, via `runuser`.
    var runAsUser: String?

    struct Output: Sendable {
        var status: TerminationStatus
        var text: String
    }

    func run(_ executable: String, _ arguments: [String]) async throws -> Output {
        let (path, args): (String, [String]) =
            if let user = runAsUser {
                ("/usr/sbin/runuser", ["-u", user, "--", executable] + arguments)
            } else {
                (executable, arguments)
            }
        let result = try await Subprocess.run(
            .path(FilePath(path)),
            arguments: Arguments(args),
            environment: .inherit.updating(["LC_ALL": "C", "LANG": "C"]),
            output: .string(limit: 1 << 20),
            error: .string(limit: 1 << 20)
        )
        let text = [result.standardOutput, result.standardError].compactMap { $0 }.joined(separator: "\n")
        return Output(status: result.terminationStatus, text: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Runs a command and throws with its output when it fails.
    func check(_ executable: String, _ arguments: [String], what: String) async throws {
        let output = try await run(executable, arguments)
        guard output.status.isSuccess else {
            throw StoreError("\(what) failed (\(output.status)): \(output.text)")
        }
    }
}
