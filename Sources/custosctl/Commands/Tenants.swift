import ArgumentParser
import CustosClients

/// `custosctl tenants ...`.
struct Tenants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create and inspect tenants.", subcommands: [Create.self, List.self, Show.self, RotateLedgerKey.self])

    struct RotateLedgerKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-ledger-key",
            abstract: "Rotate a tenant's ledger coordinator key.",
            discussion: """
                The new key is announced in the next milestone, signed by the current key; later milestones and \
                checkpoints are signed by the new key. Auditors that pinned the old key must re-pin after checking \
                the announcing milestone.
                """)

        @Argument(help: "Tenant id.")
        var id: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let rotation = try await connection.client().rotateCoordinatorKey(tenant: id)
            if connection.json { return try connection.printJSON(rotation) }
            print("coordinator key \(rotation.keyIndex) of \(id) will be announced in the next milestone")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant: ledger, first API key and gateway. The key is shown only once.")

        @Argument(help: "Tenant id: 3 to 32 characters of a-z, 0-9 and '-', starting with a letter.")
        var id: String

        @Option(help: "Display name (default: the id).")
        var name: String?

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let created = try await connection.client().createTenant(id: id, name: name)
            if connection.json { return try connection.printJSON(created) }
            print(
                """
                tenant      \(created.tenant.id) (\(created.tenant.name))
                status      \(created.tenant.status.rawValue)\(created.gatewayReady ? "" : " (gateway still starting)")
                ledger      \(created.tenant.ledgerNetwork)
                gateway     \(created.tenant.gatewayUrl)
                api key     \(created.apiKey.secret)
                key id      \(created.apiKey.key.id)

                Store the API key now: it is not shown again.
                """)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let tenants = try await connection.client().tenants()
            if connection.json { return try connection.printJSON(ControlAPI.TenantList(tenants: tenants)) }
            if tenants.isEmpty { return print("no tenants") }
            for tenant in tenants {
                print("\(tenant.id)\t\(tenant.status.rawValue)\t\(tenant.gatewayUrl)\t\(tenant.name)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one tenant.")

        @Argument(help: "Tenant id.")
        var id: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let tenant = try await connection.client().tenant(id)
            if connection.json { return try connection.printJSON(tenant) }
            print(
                """
                tenant      \(tenant.id) (\(tenant.name))
                status      \(tenant.status.rawValue)
                ledger      \(tenant.ledgerNetwork)
                gateway     \(tenant.gatewayUrl)
                created     \(AdminConnection.timestamp(tenant.createdAt))
                """)
        }
    }
}
