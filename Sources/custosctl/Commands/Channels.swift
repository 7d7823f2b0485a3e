import ArgumentParser
import CustosClients
import CustosCore
import Foundation

/// `custosctl channels ...`: a tenant administrator's view of the tenant's audit-trail channels.
struct Channels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List a tenant's channels, show one with its subscriptions, and export it for offline checks.",
        discussion: """
            These commands use a tenant API key with the tenant-admin scope (--api-key or CUSTOS_API_KEY) on the \
            tenant's gateway; no identity login is needed. An export is one file that `custosctl verify` checks \
            offline.
            """,
        subcommands: [List.self, Show.self, Subscriptions.self, Export.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tenant's channels, oldest first.")

        @OptionGroup var tenant: TenantIdentityOptions

        @Option(help: "Page size, 1 to 1000.")
        var limit: Int = 100

        @Option(help: "Page number from 0.")
        var index: Int = 0

        func run() async throws {
            let client = try TenantChannelClient(tenant)
            let channels = try await client.list(limit: limit, index: index)
            if tenant.format.json { return try tenant.format.printJSON(channels) }
            for channel in channels {
                let name = channel.name ?? "-"
                print("\(channel.channelAddress)  \(channel._type.rawValue)  \(name)  author \(channel.authorId)")
            }
            if channels.isEmpty { print("no channels") }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a channel's info, size and epoch as JSON (-o yaml: as YAML).")

        @OptionGroup var tenant: TenantIdentityOptions

        @Argument(help: "The channel address (105 characters).")
        var address: String

        func run() async throws {
            let summary = try await TenantChannelClient(tenant).show(address)
            if tenant.format.json { return try tenant.format.printJSON(summary) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        }
    }

    struct Subscriptions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a channel's subscriptions.")

        @OptionGroup var tenant: TenantIdentityOptions

        @Argument(help: "The channel address (105 characters).")
        var address: String

        func run() async throws {
            let summary = try await TenantChannelClient(tenant).show(address)
            if tenant.format.json { return try tenant.format.printJSON(summary.subscriptions) }
            for subscription in summary.subscriptions {
                let state = subscription.isAuthorized ? "authorized" : "requested"
                print(
                    "\(subscription.id)  \(subscription._type.rawValue)  \(subscription.accessRights.rawValue)  \(state)"
                )
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a channel with the ledger receipts of all its envelopes, for `custosctl verify`.")

        @OptionGroup var tenant: TenantIdentityOptions

        @Argument(help: "The channel address (105 characters).")
        var address: String

        @Option(help: "Where to write the archive (refuses to overwrite).")
        var out: String

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: out) else {
                throw ValidationError("\(out) exists; choose another --out")
            }
            // Progress goes to standard error, so that -o json prints one document.
            FileHandle.standardError.write(
                Data("exporting \(address) (waits for the newest envelopes to be in a checkpoint)...\n".utf8))
            let bytes = try await TenantChannelClient(tenant).export(address)
            guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                throw ValidationError("cannot write \(out)")
            }
            let entries =
                (try? JSONParser.parse(bytes, limits: ChannelArchiveCheck.limits))?["entries"]?.arrayValue?.count ?? 0
            try tenant.format.print(
                "wrote \(out): \(entries) envelopes, \(bytes.count) bytes; check it with custosctl verify \(out)",
                or: ExportResult(file: out, envelopes: entries, bytes: bytes.count))
        }

        /// What `-o json` prints.
        struct ExportResult: Encodable {
            var file: String
            var envelopes: Int
            var bytes: Int
        }
    }
}

extension TenantChannelClient {
    /// A client with the options' gateway and API key.
    init(_ options: TenantIdentityOptions) throws {
        guard let key = options.apiKey ?? ProcessInfo.processInfo.environment["CUSTOS_API_KEY"] else {
            throw ValidationError("pass --api-key or set CUSTOS_API_KEY")
        }
        self.init(baseURL: options.gateway, apiKey: key)
    }
}
