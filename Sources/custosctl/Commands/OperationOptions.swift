import ArgumentParser
import CustosClients
import Foundation

/// Options of every command that starts an operation.
struct OperationOptions: ParsableArguments {
    @Flag(help: "Wait until the operation has finished, showing its progress (otherwise at most 30 s).")
    var wait = false

    @Option(help: "Makes the command safe to retry: the same key gets the operation the first call started.")
    var idempotencyKey: String?

    /// Seconds the control plane may hold the call before it answers with the running operation: under the
    /// client's own 60 s timeout, after which `--wait` follows the operation.
    var serverWait: Int { wait ? 50 : 30 }

    /// The operation once finished, when `--wait` asks for it, printing each new step to standard error.
    func follow(_ operation: ControlAPI.Operation, with client: ControlClient) async throws -> ControlAPI.Operation {
        var current = operation
        var shown = ""
        while wait, current.status == .running {
            let line =
                "\(current.id) \(current.kind.rawValue) \(current.tenant): \(current.step) (\(current.progress)%)"
            if line != shown {
                FileHandle.standardError.write(Data((line + "\n").utf8))
                shown = line
            }
            try await Task.sleep(for: .milliseconds(250))
            current = try await client.operation(current.id)
        }
        return current
    }

    /// Starts an operation with the connection's client (`start` gets the idempotency key and how long the
    /// control plane may wait), follows it as `--wait` says, prints it, and fails the command when it failed.
    func run(
        _ connection: AdminConnection,
        _ start: (ControlClient, _ idempotencyKey: String?, _ wait: Int) async throws -> ControlAPI.Operation
    ) async throws {
        let client = try connection.client()
        let started = try await start(client, idempotencyKey, serverWait)
        try Self.report(try await follow(started, with: client), json: connection.json, connection: connection)
    }

    /// Prints an operation and fails the command when it failed.
    static func report(_ operation: ControlAPI.Operation, json: Bool, connection: AdminConnection) throws {
        if json { try connection.printJSON(operation) } else { print(summary(operation)) }
        if operation.status == .failed { throw ExitCode.failure }
    }

    static func summary(_ operation: ControlAPI.Operation) -> String {
        var text = "\(operation.id)\t\(operation.kind.rawValue)\t\(operation.tenant)\t\(operation.status.rawValue)"
        text += "\t\(operation.step) (\(operation.progress)%)"
        if let error = operation.error { text += "\n  error: \(error)" }
        if operation.status == .running {
            text += "\n  still running: custosctl operations wait \(operation.id)"
        }
        return text
    }
}
