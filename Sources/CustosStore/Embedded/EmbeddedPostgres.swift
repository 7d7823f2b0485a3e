import CustosCore
import Foundation
import Logging
import PostgresNIO

/// Runs a private PostgreSQL cluster inside a data directory: Unix socket only, no TCP port.
///
/// The same launcher serves `custos up` and the test suites. It creates the cluster on first use, reuses it
/// afterwards (also when a previous owner died and left it running), and recovers from a stale pid file.
/// PostgreSQL refuses to run as root, so as root it runs the server as an unprivileged user that owns
/// the cluster (the `postgres` user of Debian's package, or `custos-pg`, which it creates).
public struct EmbeddedPostgres: Sendable {
    /// The superuser and database that Custos uses inside the cluster.
    public static let role = "custos"
    /// The application database inside the cluster.
    public static let database = "custos"
    private static let port = 5432

    /// The directory holding `cluster/`, `socket/` and `postgres.log`.
    public let directory: URL
    private let logger: Logger

    /// The cluster's data directory (PGDATA).
    public var clusterDirectory: URL { directory.appendingPathComponent("cluster") }
    /// The directory of the Unix socket.
    public var socketDirectory: URL { directory.appendingPathComponent("socket") }
    /// The server log.
    public var logFile: URL { directory.appendingPathComponent("postgres.log") }

    /// The configuration to connect to the running cluster.
    public var databaseConfiguration: DatabaseConfiguration {
        DatabaseConfiguration(
            endpoint: .unixSocket(path: socketDirectory.appendingPathComponent(".s.PGSQL.\(Self.port)").path),
            username: Self.role, database: Self.database)
    }

    /// Creates a launcher for the cluster under `directory` (created when missing).
    public init(directory: URL, logger: Logger) {
        self.directory = directory.standardizedFileURL
        self.logger = logger
    }

    /// Starts the cluster (creating it on first use) and returns how to connect to it.
    @discardableResult
    public func start() async throws -> DatabaseConfiguration {
        let binaries = try Self.locateBinaries()
        let owner = try await Self.serverUser()
        let runner = CommandRunner(runAsUser: owner?.name)
        try prepareDirectories(owner: owner)

        if !FileManager.default.fileExists(atPath: clusterDirectory.appendingPathComponent("PG_VERSION").path) {
            logger.info("creating PostgreSQL cluster", metadata: ["directory": "\(clusterDirectory.path)"])
            try await runner.check(
                binaries.appendingPathComponent("initdb").path,
                [
                    "-D", clusterDirectory.path, "-U", Self.role, "--auth=trust", "--encoding=UTF8",
                    "--locale=C", "--no-instructions",
                ],
                what: "initdb")
        }
        try writeSettings(owner: owner)

        let pgCtl = binaries.appendingPathComponent("pg_ctl").path
        if isRunning() {
            logger.info("reusing running PostgreSQL cluster", metadata: ["directory": "\(clusterDirectory.path)"])
        } else {
            try removeStalePidFile()
            let output = try await runner.run(
                pgCtl, ["-D", clusterDirectory.path, "-l", logFile.path, "-w", "-t", "60", "start"])
            guard output.status.isSuccess else {
                throw StoreError(
                    "starting PostgreSQL failed (\(output.status)): \(lastFatalLine() ?? output.text) "
                        + "(log: \(logFile.path))")
            }
            logger.info("PostgreSQL started", metadata: ["socket": "\(socketDirectory.path)"])
        }
        try await createDatabaseIfMissing()
        return databaseConfiguration
    }

    /// Stops the cluster with a fast shutdown (active transactions roll back, committed data is safe).
    public func stop() async throws {
        let binaries = try Self.locateBinaries()
        let runner = CommandRunner(runAsUser: try await Self.serverUser()?.name)
        let pgCtl = binaries.appendingPathComponent("pg_ctl").path
        guard isRunning() else { return }
        try await runner.check(
            pgCtl, ["-D", clusterDirectory.path, "-m", "fast", "-w", "-t", "60", "stop"], what: "stopping PostgreSQL")
        logger.info("PostgreSQL stopped")
    }

    private func isRunning() -> Bool {
        guard FileManager.default.fileExists(atPath: clusterDirectory.appendingPathComponent("PG_VERSION").path) else {
            return false
        }
        // Not `pg_ctl status`: it counts a killed postmaster that nobody reaped (a zombie) as running.
        return isPostmasterAlive()
    }

    /// The pid file of the running server (its first line is the postmaster's pid).
    public var pidFile: URL { clusterDirectory.appendingPathComponent("postmaster.pid") }

    /// The postmaster's pid as its pid file records it, or nil when there is no pid file.
    public var postmasterPID: pid_t? { Self.recordedPID(in: pidFile) }

    /// Whether the pid file names a live PostgreSQL process (not gone, not a zombie, not another program that
    /// got the pid). Cheap enough to poll: it reads two small files.
    public func isPostmasterAlive() -> Bool {
        postmasterPID.map(Self.isLivePostgres) ?? false
    }

    private static func recordedPID(in file: URL) -> pid_t? {
        guard let contents = try? String(contentsOf: file, encoding: .utf8) else { return nil }
        return contents.split(separator: "\n").first.flatMap { pid_t($0.trimmingCharacters(in: .whitespaces)) }
    }

    private static func isLivePostgres(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0,
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
        else { return false }
        let command = stat[stat.index(after: open)..<close]
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return command.hasPrefix("postgres") && state != "Z" && state != "X"
    }

    /// The newest FATAL line of the server log: why the last start failed (pg_ctl itself only says that it did).
    private func lastFatalLine() -> String? {
        guard let handle = try? FileHandle(forReadingFrom: logFile) else { return nil }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 16384 ? size - 16384 : 0)
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").last { $0.contains("FATAL") }.map(String.init)
    }

    /// A lock file whose process is gone (or is a zombie, or no postgres) makes PostgreSQL refuse to start;
    /// remove it. Both the data directory's `postmaster.pid` and the socket's lock are checked. PostgreSQL
    /// still refuses to start while backends of the dead server hold its shared memory, so this cannot let
    /// two servers share a cluster.
    private func removeStalePidFile() throws {
        let socketLock = socketDirectory.appendingPathComponent(".s.PGSQL.\(Self.port).lock")
        for file in [pidFile, socketLock] where FileManager.default.fileExists(atPath: file.path) {
            let pid = Self.recordedPID(in: file)
            if let pid, Self.isLivePostgres(pid) { continue }
            logger.warning(
                "removing stale PostgreSQL lock file",
                metadata: ["file": "\(file.lastPathComponent)", "pid": "\(pid.map(String.init) ?? "?")"])
            try FileManager.default.removeItem(at: file)
        }
    }

    private func prepareDirectories(owner: ServerUser?) throws {
        let manager = FileManager.default
        try manager.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o711])
        let socketPath = socketDirectory.appendingPathComponent(".s.PGSQL.\(Self.port)").path
        guard socketPath.utf8.count < 100 else {
            throw StoreError(
                "data directory path is too long for a Unix socket (\(socketPath.utf8.count) bytes, limit 100): "
                    + "choose a shorter --data-dir", kind: .invalidInput)
        }
        for folder in [clusterDirectory, socketDirectory] {
            try manager.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        if !manager.fileExists(atPath: logFile.path) {
            _ = manager.createFile(atPath: logFile.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let owner else { return }
        for path in [clusterDirectory.path, socketDirectory.path, logFile.path] where try ownerID(of: path) != owner.uid
        {
            guard chown(path, owner.uid, owner.gid) == 0 else {
                throw StoreError("cannot hand \(path) to the PostgreSQL user \(owner.name): errno \(errno)")
            }
        }
        try checkTraversable(by: owner)
    }

    private func ownerID(of path: String) throws -> uid_t {
        var info = stat()
        guard stat(path, &info) == 0 else { throw StoreError("cannot stat \(path): errno \(errno)") }
        return info.st_uid
    }

    /// The server user must be able to walk down to the cluster; root's home (0700) is the usual trap.
    private func checkTraversable(by owner: ServerUser) throws {
        var path = directory.path
        while path != "/" && !path.isEmpty {
            var info = stat()
            guard stat(path, &info) == 0 else { throw StoreError("cannot stat \(path): errno \(errno)") }
            let mode = info.st_mode
            let allowed =
                info.st_uid == owner.uid
                ? mode & S_IXUSR != 0
                : info.st_gid == owner.gid ? mode & S_IXGRP != 0 : mode & S_IXOTH != 0
            guard allowed else {
                throw StoreError(
                    "the PostgreSQL user \(owner.name) cannot enter \(path); choose a data directory it can reach "
                        + "(for example /var/lib/custos) or run Custos as an unprivileged user", kind: .invalidInput)
            }
            path = (path as NSString).deletingLastPathComponent
        }
    }

    /// Settings are rewritten on every start so a moved data directory keeps working.
    private func writeSettings(owner: ServerUser?) throws {
        var settings = """
            # Written by Custos on every start; edit postgresql.conf for your own settings.
            listen_addresses = ''
            unix_socket_directories = '\(socketDirectory.path)'
            unix_socket_permissions = 0700
            port = \(Self.port)
            synchronous_commit = on
            max_connections = 500
            shared_buffers = 128MB
            logging_collector = off

            """
        // Crash recovery first flushes the data directory; one syncfs() of its file system takes milliseconds
        // where fsync of every file took seconds here, so a killed server is back sooner (PostgreSQL 14+).
        let version = try? String(
            contentsOf: clusterDirectory.appendingPathComponent("PG_VERSION"), encoding: .utf8)
        if let major = version.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }), major >= 14 {
            settings += "recovery_init_sync_method = syncfs\n"
        }
        let file = clusterDirectory.appendingPathComponent("custos.conf")
        try settings.write(to: file, atomically: true, encoding: .utf8)
        if let owner { _ = chown(file.path, owner.uid, owner.gid) }
        let mainConf = clusterDirectory.appendingPathComponent("postgresql.conf")
        let include = "include_if_exists = 'custos.conf'"
        let current = try String(contentsOf: mainConf, encoding: .utf8)
        if !current.contains(include) {
            try (current + "\n" + include + "\n").write(to: mainConf, atomically: false, encoding: .utf8)
        }
    }

    private func createDatabaseIfMissing() async throws {
        var admin = databaseConfiguration
        admin.database = "postgres"
        var config = admin.clientConfiguration
        config.options.minimumConnections = 0
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let rows = try await client.query("SELECT 1 FROM pg_database WHERE datname = \(Self.database)")
            var exists = false
            for try await _ in rows { exists = true }
            if !exists {
                try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(Self.database)"))
                logger.info("created database", metadata: ["database": "\(Self.database)"])
            }
        }
    }
}
