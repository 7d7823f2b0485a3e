import ArgumentParser
import CustosClients

/// `custosctl tenants ...`.
struct Tenants: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, inspect, suspend, resume and re-plan tenants.",
        subcommands: [
            Create.self, List.self, Show.self, Suspend.self, Resume.self, SetPlan.self, Delete.self,
            RotateLedgerKey.self,
        ])

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Suspend a tenant: its keys and identity tokens stop working at once; its data stays.")

        @Argument(help: "Tenant id.")
        var id: String

        @OptionGroup var operation: OperationOptions
        @OptionGroup var connection: AdminConnection

        func run() async throws {
            try await operation.run(connection) { client, key, wait in
                try await client.suspendTenant(id, idempotencyKey: key, wait: wait)
            }
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a suspended tenant.")

        @Argument(help: "Tenant id.")
        var id: String

        @OptionGroup var operation: OperationOptions
        @OptionGroup var connection: AdminConnection

        func run() async throws {
            try await operation.run(connection) { client, key, wait in
                try await client.resumeTenant(id, idempotencyKey: key, wait: wait)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a tenant: its entries, identities, channels and keys are destroyed, for good.",
            discussion: """
                The ledger's hashes and signed checkpoints are kept, so receipts issued before still verify \
                offline; the tenant id is never given again. Needs --yes.
                """)

        @Argument(help: "Tenant id.")
        var id: String

        @Flag(help: "Confirm that the tenant's data is to be destroyed.")
        var yes = false

        @OptionGroup var operation: OperationOptions
        @OptionGroup var connection: AdminConnection

        func run() async throws {
            guard yes else {
                throw ValidationError(
                    "deleting \(id) destroys its entries, identities, channels and keys; add --yes to confirm")
            }
            try await operation.run(connection) { client, key, wait in
                try await client.deleteTenant(id, idempotencyKey: key, wait: wait)
            }
        }
    }

    struct SetPlan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-plan",
            abstract: "Move a tenant to another plan (see custosctl plans); a change of isolation moves its gateway.")

        @Argument(help: "Tenant id.")
        var id: String

        @Argument(help: "Plan name.")
        var plan: String

        @OptionGroup var operation: OperationOptions
        @OptionGroup var connection: AdminConnection

        func run() async throws {
            try await operation.run(connection) { client, key, wait in
                try await client.setTenantPlan(id, plan: plan, idempotencyKey: key, wait: wait)
            }
        }
    }

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

        @Option(help: "Plan (see custosctl plans; default: the plans file's defaultPlan).")
        var plan: String?

        @OptionGroup var operation: OperationOptions
        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let client = try connection.client()
            var created = try await client.createTenant(
                id: id, name: name, plan: plan, idempotencyKey: operation.idempotencyKey, wait: operation.serverWait)
            created.operation = try await operation.follow(created.operation, with: client)
            if operation.wait { created.tenant = try await client.tenant(id) }
            if connection.json { return try connection.printJSON(created) }
            let keyLines =
                created.apiKey.map {
                    "api key     \($0.secret)\nkey id      \($0.key.id)\n\nStore the API key now: it is not shown again."
                } ?? "api key     (shown only to the first call with this idempotency key)"
            print(
                """
                tenant      \(created.tenant.id) (\(created.tenant.name))
                status      \(created.tenant.status.rawValue)\(created.gatewayReady ? "" : " (still provisioning)")
                plan        \(created.tenant.plan) (\(created.tenant.isolation.rawValue))
                ledger      \(created.tenant.ledgerNetwork)
                gateway     \(created.tenant.gatewayUrl)\(created.tenant.sharedGatewayUrl.map { "\nshared      \($0) (the key names the tenant)" } ?? "")
                operation   \(created.operation.id) \(created.operation.status.rawValue)
                \(keyLines)
                """)
            if created.operation.status == .failed { throw ExitCode.failure }
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
                print("\(tenant.id)\t\(tenant.status.rawValue)\t\(tenant.plan)\t\(tenant.gatewayUrl)\t\(tenant.name)")
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
                status      \(tenant.status.rawValue)\(tenant.statusReason.map { " (\($0))" } ?? "")
                plan        \(tenant.plan) (\(tenant.isolation.rawValue))
                ledger      \(tenant.ledgerNetwork)
                gateway     \(tenant.gatewayUrl)\(tenant.sharedGatewayUrl.map { "\nshared      \($0)" } ?? "")
                created     \(AdminConnection.timestamp(tenant.createdAt))
                """)
        }
    }
}
