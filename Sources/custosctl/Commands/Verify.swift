import ArgumentParser
import CustosCore
import CustosLedger
import Foundation

/// `custosctl verify FILE`: offline verification of a ledger receipt.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a ledger receipt offline and print what was checked.",
        discussion: """
            A receipt (GET /api/v1/ledger/messages/{id}/receipt) proves that a message, byte for byte, is in a
            tenant's Merkle log under a signed checkpoint. Without --key or --checkpoint the receipt's own
            coordinator key is used, which proves internal consistency only ("self-asserted"): pass the key you
            trust (from the tenant's published ledger information, or pinned by `custosctl ledger audit`).
            Exit status: 0 when every check passes, 2 when the receipt is rejected, 1 on usage errors.
            """
    )

    @Argument(help: "The receipt JSON file ('-' reads standard input).")
    var file: String

    @Option(help: "The trusted coordinator key: a C2SP note verifier key '<origin>+<keyid>+<base64>'.")
    var key: String?

    @Option(help: "A state file written by `custosctl ledger audit`: use its pinned coordinator key and origin.")
    var checkpoint: String?

    @Option(help: "The log origin you expect, e.g. custos.local/acme.")
    var origin: String?

    func run() async throws {
        let text = try InputFile.read(file)
        var trustedKey: NoteVerifierKey?
        var expectedOrigin = origin
        if let key {
            do { trustedKey = try NoteVerifierKey(parsing: key) } catch {
                throw ValidationError("--key is not a note verifier key: \(error)")
            }
        }
        if let checkpoint {
            let pin = try AuditPin.read(from: URL(fileURLWithPath: checkpoint))
            trustedKey = try NoteVerifierKey(parsing: pin.coordinatorKey)
            expectedOrigin = expectedOrigin ?? pin.origin
        }
        let receipt: Receipt
        do { receipt = try Receipt(jsonText: text) } catch {
            print("REJECTED: \(error)")
            throw ExitCode(2)
        }
        do {
            let report = try ReceiptVerifier.verify(receipt, trustedKey: trustedKey, expectedOrigin: expectedOrigin)
            for check in report.checks { print("ok  \(check)") }
            if report.keyTrust == .selfAsserted {
                print(
                    "note: verified under the receipt's own key \(report.key.shortName); pass --key to check authorship"
                )
            }
            print(
                "VALID: message \(report.messageID) is leaf \(report.leafIndex) of \(report.checkpoint.origin) "
                    + "at size \(report.checkpoint.size)")
        } catch {
            print("REJECTED: \(error)")
            throw ExitCode(2)
        }
    }
}

/// Reads a file argument, `-` meaning standard input.
enum InputFile {
    static func read(_ path: String) throws -> String {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            data = contents
        }
        return String(decoding: data, as: UTF8.self)
    }
}
