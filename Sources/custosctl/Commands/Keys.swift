import ArgumentParser
import CustosClients

/// `custosctl keys ...`.
struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, list and revoke tenant API keys.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key. It is shown only once.")

        @Argument(help: "Tenant id.")
        var tenant: String

        @Option(help: "A label for the key.")
        var name: String?

        @Option(
            name: .customLong("scope"),
            help: ArgumentHelp(
                "Restrict the key to a scope (repeatable): "
                    + ControlAPI.Scope.allCases.map(\.rawValue).joined(separator: ", ") + ". Default: every scope.",
                valueName: "scope"))
        var scopes: [String] = []

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let scopes = try scopes.map { text in
                guard let scope = ControlAPI.Scope(rawValue: text) else {
                    throw ValidationError("unknown scope \(text)")
                }
                return scope
            }
            let created = try await connection.client().createKey(
                tenant: tenant, name: name, scopes: scopes.isEmpty ? nil : scopes)
            if connection.json { return try connection.printJSON(created) }
            print(
                "key id   \(created.key.id)\napi key  \(created.secret)\n\nStore the API key now: it is not shown again."
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's API keys (never the secrets).")

        @Argument(help: "Tenant id.")
        var tenant: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let keys = try await connection.client().keys(tenant: tenant)
            if connection.json { return try connection.printJSON(ControlAPI.KeyList(keys: keys)) }
            for key in keys {
                let state = key.revokedAt.map { "revoked \(AdminConnection.timestamp($0))" } ?? "active"
                let scopes = key.scopes.map { $0.map(\.rawValue).joined(separator: ",") } ?? "all scopes"
                print(
                    "\(key.id)\t\(key.name)\tcreated \(AdminConnection.timestamp(key.createdAt))\t\(state)\t\(scopes)")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke an API key; gateways stop accepting it within seconds.")

        @Argument(help: "Tenant id.")
        var tenant: String

        @Argument(help: "Key id (key_...).")
        var keyID: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            try await connection.client().revokeKey(tenant: tenant, keyID: keyID)
            print("revoked \(keyID)")
        }
    }
}
