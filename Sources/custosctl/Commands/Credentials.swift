import ArgumentParser
import CustosClients
import CustosCore
import Foundation

/// `custosctl credentials ...`: issue, revoke and check a tenant's verifiable credentials through its gateway.
/// (`custosctl verify` checks one offline.)
struct Credentials: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue, revoke and check a tenant's verifiable credentials.",
        subcommands: [Issue.self, Revoke.self, Check.self])

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a credential from the tenant's trust root; prints it.",
            discussion: "Logs in as the identity of --as, which must be an Admin or a Manager.")

        @OptionGroup var tenant: TenantIdentityOptions

        @Option(help: "The keys file of the issuing Admin or Manager.")
        var `as`: String

        @Option(help: "The subject's DID.")
        var subject: String

        @Option(help: "The credential type, e.g. BasicIdentityCredential or VerifiedIdentityCredential.")
        var type: String

        @Option(help: "The claim as a JSON object with a type, or @file.")
        var claim: String

        func run() async throws {
            let claim = try TenantIdentityOptions.json(claim, name: "--claim")
            let client = try await tenant.client(actingAs: `as`)
            try tenant.printDocument(try await client.issue(subject: subject, type: type, claim: claim))
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a credential by its proofValue (the IS signatureValue) or id.")

        @OptionGroup var tenant: TenantIdentityOptions

        @Option(help: "The keys file of an Admin, a Manager or the credential's subject.")
        var `as`: String

        @Argument(help: "The credential's proofValue or id (exact).")
        var reference: String

        func run() async throws {
            try await tenant.client(actingAs: `as`).revoke(reference)
            try tenant.format.print("revoked", or: ["revoked": reference])
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Ask the tenant whether a credential verifies (exit 2 if not).",
            discussion: "Proof, validity, status and a trust chain from one of the tenant's trusted roots.")

        @OptionGroup var tenant: TenantIdentityOptions

        @Argument(help: "The credential file ('-' reads standard input).")
        var file: String

        func run() async throws {
            let data =
                file == "-"
                ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
            guard let data else { throw ValidationError("cannot read \(file)") }
            let credential = try TenantIdentityOptions.json(String(decoding: data, as: UTF8.self), name: file)
            let (verified, error) = try await tenant.client().check(credential)
            try tenant.format.print(
                verified ? "VERIFIED" : "NOT VERIFIED: \(error ?? "no reason given")",
                or: CheckResult(verified: verified, error: verified ? nil : error ?? "no reason given"))
            if !verified { throw ExitCode(2) }
        }

        /// The verdict as `-o json` prints it.
        struct CheckResult: Encodable {
            var verified: Bool
            var error: String?
        }
    }
}
