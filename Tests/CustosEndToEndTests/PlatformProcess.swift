import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

/// A real `custos up` started from the built binary in a temporary data directory, for end-to-end tests.
final class PlatformProcess: @unchecked Sendable {
    let dataDirectory: URL
    let logFile: URL
    let process: Process
    let controlURL: String
    let adminToken: String

    /// The built binaries: `CUSTOS_BIN_DIR`, else `.build/debug` of this package.
    static var binDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["CUSTOS_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug")
    }

    /// Starts the platform, in a new temporary directory unless `existing` names one, and waits until the
    /// control plane answers and `custos up` has said that every process is ready ("Custos is up"): the pooled
    /// gateway may still be starting when the control plane already answers (a raw connection to it was once
    /// refused in CI).
    static func start(in existing: URL? = nil, arguments extra: [String] = []) async throws -> PlatformProcess {
        let base =
            existing
            ?? URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
                "custos-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(
            at: base, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        chmod(base.path, 0o711)
        let data = base.appendingPathComponent("data")
        let log = base.appendingPathComponent("up.log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let upsBefore = Self.upCount(log)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        let process = Process()
        process.executableURL = binDirectory.appendingPathComponent("custos")
        process.arguments =
            ["up", "--data-dir", data.path, "--control-port", "0", "--gateway-port", "0", "--log-level", "debug"]
            + extra
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let credentialFile = data.appendingPathComponent("admin.json")
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            if let contents = FileManager.default.contents(atPath: credentialFile.path),
                let json = try? JSONSerialization.jsonObject(with: contents) as? [String: String],
                let url = json["controlUrl"], let token = json["token"]
            {
                let platform = PlatformProcess(
                    dataDirectory: data, logFile: log, process: process, controlURL: url, adminToken: token)
                // A restart finds the previous run's file first; its URL answers only once rewritten.
                if try await platform.waitReady(url, timeout: .seconds(1)), Self.upCount(log) > upsBefore {
                    return platform
                }
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        process.terminate()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw E2EError("custos up did not become ready:\n\(output.suffix(4000))")
    }

    /// How often the log says "Custos is up": a restart in the same directory appends to the earlier run's log.
    private static func upCount(_ log: URL) -> Int {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.components(separatedBy: "Custos is up.").count - 1
    }

    private init(dataDirectory: URL, logFile: URL, process: Process, controlURL: String, adminToken: String) {
        self.dataDirectory = dataDirectory
        self.logFile = logFile
        self.process = process
        self.controlURL = controlURL
        self.adminToken = adminToken
    }

    /// Polls `/health/ready` of a process until it answers 200, for up to `timeout`.
    func waitReady(_ baseURL: String, timeout: Duration = .seconds(30)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            // Short probes: a pooled connection to a previous process on the same port must not stall the wait.
            if let response = try? await HTTP.request("GET", baseURL + "/health/ready", timeout: .seconds(2)),
                response.status == 200
            {
                return true
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Stops the platform with SIGTERM and returns its exit status.
    func stop() async throws -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        stoppedCleanly = process.terminationStatus == 0
        return process.terminationStatus
    }

    /// Set when `stop` saw a clean exit: the directory (a PostgreSQL cluster, ~50 MB) is then removed.
    /// Runs that failed keep theirs, with `up.log`, for a look afterwards.
    private var stoppedCleanly = false

    /// Set by `keepDirectory`: the directory stays even after a clean stop.
    private var kept = false

    /// Keeps the directory after a clean stop, for a run whose tests failed on a platform they shared.
    func keepDirectory() { kept = true }

    deinit {
        if stoppedCleanly && !kept { try? FileManager.default.removeItem(at: baseDirectory) }
    }

    /// The directory holding `data/` and `up.log`.
    var baseDirectory: URL { dataDirectory.deletingLastPathComponent() }

    /// Runs a built `custosctl` with arguments and returns its exit status and output.
    static func custosctl(_ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, output: String
    ) {
        try run(binDirectory.appendingPathComponent("custosctl").path, arguments, environment: environment)
    }

    /// Runs a program and returns its exit status and combined output.
    static func run(_ path: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> (status: Int32, output: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    /// Pids of processes started by this platform's supervisor, found through their environment, so children
    /// that outlived a killed supervisor are found too.
    func supervisedPIDs() -> [pid_t] {
        let marker = Array("CUSTOS_SUPERVISOR_PID=\(process.processIdentifier)".utf8)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
            return environment.split(separator: 0).contains { Array($0) == marker }
        }
    }

    /// The port a child of this platform listens on (its `--port` argument), e.g. for `worker ledger`.
    func childPort(matching marker: String) -> Int? {
        guard let pid = childPIDs(matching: marker).first,
            let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
        else { return nil }
        let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        guard let flag = arguments.firstIndex(of: "--port"), flag + 1 < arguments.count else { return nil }
        return Int(arguments[flag + 1])
    }

    /// The environment variable names of a child of this platform.
    func childEnvironmentNames(matching marker: String) -> Set<String> {
        guard let pid = childPIDs(matching: marker).first,
            let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ")
        else { return [] }
        return Set(
            environment.split(separator: 0).compactMap { entry in
                entry.firstIndex(of: UInt8(ascii: "=")).map {
                    String(decoding: entry[entry.startIndex..<$0], as: UTF8.self)
                }
            })
    }

    /// The platform's internal service token, read from its data directory.
    var serviceToken: String {
        (try? String(contentsOf: dataDirectory.appendingPathComponent("service-token"), encoding: .utf8)) ?? ""
    }

    /// Secrets handed out by this platform that its log must never contain (API keys of `TenantFixture`s, and
    /// any a test notes), checked when a shared platform stops.
    var notedSecrets: [String] { secrets.withLock { $0 } }

    /// Adds a secret to `notedSecrets`.
    func note(secret: String) { secrets.withLock { $0.append(secret) } }

    private let secrets = Mutex<[String]>([])

    /// Everything the platform's processes logged.
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// The pids of `custos` children of this platform whose arguments contain `marker`.
    func childPIDs(matching marker: String) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, pid_t(fields[1]) == process.processIdentifier,
                let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
            else { return false }
            let arguments = cmdline.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            return arguments.joined(separator: " ").contains(marker)
        }
    }
}

/// A failed end-to-end expectation with context.
struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
