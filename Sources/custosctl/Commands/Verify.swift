import ArgumentParser
import CustosCore
import CustosIdentity
import CustosLedger
import Foundation

/// `custosctl verify FILE`: offline verification of a ledger receipt, a credential or a presentation.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Verify a ledger receipt, a channel archive, a credential or a presentation offline and print what was "
            + "checked.",
        discussion: """
            Receipts (GET /api/v1/ledger/messages/{id}/receipt) prove that a message, byte for byte, is in a \
            tenant's Merkle log under a signed checkpoint. Without --key or --checkpoint the receipt's own \
            coordinator key is used, which proves internal consistency only ("self-asserted"): pass the key you \
            trust (from GET /api/v1/ledger, or pinned by `custosctl ledger audit`).

            Channel archives (`custosctl channels export`) are checked as a whole: the file byte for byte, every \
            receipt as above, every envelope against its receipt's message, and the channel as a keyless auditor \
            reads it (signatures, chains, epochs, writer lists); --key and --origin apply to their receipts.

            Credentials and presentations (W3C VC 2.0 with eddsa-jcs-2022 or JcsEd25519Signature2020 proofs, or \
            a vc+jwt) are checked against did:key directly and against any DID documents, status list \
            credentials and trust credentials given with --did-document.

            Exit status: 0 when every check passes, 2 when anything fails, 64 on usage errors (a bad option, an \
            unreadable file).
            """
    )

    @Argument(help: "The receipt, credential or presentation file ('-' reads standard input).")
    var file: String

    @Option(help: "Receipts: the trusted coordinator key, a C2SP note verifier key '<origin>+<keyid>+<base64>'.")
    var key: String?

    @Option(help: "Receipts: a state file of `custosctl ledger audit`; use its pinned coordinator key and origin.")
    var checkpoint: String?

    @Option(help: "Receipts: the log origin you expect, e.g. 5c0f3a9e1b7d4c2a8e6f0b3d9a1c7e45.custos.local/acme.")
    var origin: String?

    @Option(
        name: .customLong("did-document"),
        help: "Credentials: a DID document, document version chain, status list or trust credential (repeatable).")
    var didDocuments: [String] = []

    @Option(help: "Presentations: the challenge the verifier issued.")
    var challenge: String?

    @Option(help: "Presentations: the domain the verifier expects.")
    var domain: String?

    func run() async throws {
        let bytes = try InputFile.bytes(file)
        let text = String(decoding: bytes, as: UTF8.self)
        let json = try? JSONParser.parse(bytes, limits: ChannelArchiveCheck.limits)
        if let json, ChannelArchiveCheck.isArchive(json) {
            try verifyArchive(bytes)
        } else if let json, json["inclusionProof"] != nil, json["leafIndex"] != nil {
            try verifyReceipt(text)
        } else {
            try await verifyCredential(text)
        }
    }

    private func verifyCredential(_ text: String) async throws {
        var documents: [JSONValue] = []
        for path in didDocuments {
            do { documents.append(try JSONParser.parse(try InputFile.read(path))) } catch {
                throw ValidationError("\(path) is not a JSON document: \(error)")
            }
        }
        let report = await OfflineVerifier.verify(
            text, documents: documents, now: Date(), options: .init(challenge: challenge, domain: domain))
        print(report.description)
        if !report.isValid { throw ExitCode(2) }
    }

    private func verifyArchive(_ bytes: [UInt8]) throws {
        let (trustedKey, expectedOrigin) = try trust()
        do {
            let report = try ChannelArchiveCheck.verify(bytes, trustedKey: trustedKey, expectedOrigin: expectedOrigin)
            for check in report.checks { print("ok  \(check)") }
            if report.keyTrust == .selfAsserted {
                let keys = report.keys.map(\.shortName).sorted().joined(separator: ", ")
                print("note: verified under the receipts' own key \(keys); pass --key to check authorship")
            }
            print("VALID: channel archive of \(report.envelopes) envelopes")
        } catch {
            print("REJECTED: \(error)")
            throw ExitCode(2)
        }
    }

    /// The key and origin to check receipts against, from --key, --checkpoint and --origin.
    private func trust() throws -> (NoteVerifierKey?, String?) {
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
        return (trustedKey, expectedOrigin)
    }

    private func verifyReceipt(_ text: String) throws {
        let (trustedKey, expectedOrigin) = try trust()
        do {
            let receipt = try Receipt(jsonText: text)
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
        String(decoding: try bytes(path), as: UTF8.self)
    }

    /// The file's bytes, as they are.
    static func bytes(_ path: String) throws -> [UInt8] {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            data = contents
        }
        return Array(data)
    }
}
