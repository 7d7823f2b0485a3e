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

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let created = try await connection.client().send(
                .POST, "/admin/v1/tenants/\(tenant)/keys", body: ControlAPI.CreateKey(name: name),
                as: ControlAPI.CreatedKey.self)
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
            let list = try await connection.client().send(
                .GET, "/admin/v1/tenants/\(tenant)/keys", as: ControlAPI.KeyList.self)
            if connection.json { return try connection.printJSON(list) }
            for key in list.keys {
                print(
                    "\(key.id)\t\(key.name)\tcreated \(key.createdAt)\t\(key.revokedAt.map { "revoked \($0)" } ?? "active")"
                )
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
            _ = try await connection.client().sendRaw(.DELETE, "/admin/v1/tenants/\(tenant)/keys/\(keyID)")
            print("revoked \(keyID)")
        }
    }
}
