import ArgumentParser
import CustosClients

/// `custosctl operations ...`.
struct OperationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operations",
        abstract: "Follow the asynchronous operations that change tenants.",
        subcommands: [List.self, Show.self, Wait.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List operations, newest first.")

        @Option(help: "Only this tenant's.")
        var tenant: String?

        @Option(help: "At most this many (1 to 1000).")
        var limit = 100

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let operations = try await connection.client().operations(tenant: tenant, limit: limit)
            if connection.json { return try connection.printJSON(ControlAPI.OperationList(operations: operations)) }
            if operations.isEmpty { return print("no operations") }
            for operation in operations { print(OperationOptions.summary(operation)) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one operation.")

        @Argument(help: "Operation id (op_...).")
        var id: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let operation = try await connection.client().operation(id)
            if connection.json { return try connection.printJSON(operation) }
            print(OperationOptions.summary(operation))
        }
    }

    struct Wait: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Wait until an operation has finished, showing its progress; fails when it failed.")

        @Argument(help: "Operation id (op_...).")
        var id: String

        @OptionGroup var connection: AdminConnection

        func run() async throws {
            let client = try connection.client()
            var options = OperationOptions()
            options.wait = true
            let operation = try await options.follow(try await client.operation(id), with: client)
            try OperationOptions.report(operation, json: connection.json, connection: connection)
        }
    }
}

/// `custosctl plans`.
struct PlansCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plans", abstract: "List the plans tenants may be on: isolation, quotas, rate limits.")

    @OptionGroup var connection: AdminConnection

    func run() async throws {
        let plans = try await connection.client().plans()
        if connection.json { return try connection.printJSON(ControlAPI.PlanList(plans: plans)) }
        for plan in plans {
            var marks: [String] = []
            if plan._default { marks.append("default") }
            if plan.signup { marks.append("signup") }
            print("\(plan.name)\t\(plan.isolation.rawValue)\t\(marks.joined(separator: ","))\t\(plan.description)")
            let quotas = [("apiKeys", plan.quotas.apiKeys), ("entriesPerDay", plan.quotas.entriesPerDay)]
                .map { "\($0.0) \($0.1.map(String.init) ?? "unlimited")" }
            print("  quotas: \(quotas.joined(separator: ", "))")
            for (name, rate) in [("perKey", plan.rateLimits.perKey), ("perTenant", plan.rateLimits.perTenant)] {
                print("  \(name): \(rate.map { "\($0.requestsPerSecond)/s, burst \($0.burst)" } ?? "no limit")")
            }
        }
    }
}
