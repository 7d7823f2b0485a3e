import CustosCore
import Foundation
import PostgresNIO

/// Where and how to reach PostgreSQL, parsed from a libpq-style URL.
///
/// Accepted forms: `postgres://user:password@host:5432/db` and, for Unix sockets,
/// `postgres://user@/db?host=/path/to/socket/dir` (the `host` parameter names the socket directory, as libpq does).
/// The query may also set the ``Options``: `connect_timeout` and `query_timeout` in seconds, `pool_min` and
/// `pool_max` in connections (`?connect_timeout=3&query_timeout=3&pool_min=1&pool_max=10`); other parameters
/// are ignored.
public struct DatabaseConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// How long to wait for the database and how many connections to keep, per process.
    public struct Options: Sendable, Equatable {
        /// The longest wait to open one connection (TCP or Unix socket, then the startup handshake); default 3 s.
        public var connectTimeout: Duration = .seconds(3)
        /// The longest wait for one store operation, including the wait for a free connection; default 3 s.
        /// Past it the caller gets a 503 that asks to retry. A request that needs two lookups (API key, then
        /// ledger) thus ends within about 6 s even when the database vanishes in between.
        public var queryTimeout: Duration = .seconds(3)
        /// Connections each process keeps open while idle; default 1, so a lost database is noticed and the
        /// pool reconnects in the background.
        public var minimumConnections = 1
        /// The most connections one process opens; default ``ConnectionBudget/corePool``. The pools of all processes (control plane,
        /// workers, gateways) share the server's `max_connections`.
        public var maximumConnections = ConnectionBudget.corePool

        /// The defaults.
        public init() {}

        /// The URL query parameters that differ from the defaults.
        var queryItems: [URLQueryItem] {
            let defaults = Options()
            var items: [URLQueryItem] = []
            if connectTimeout != defaults.connectTimeout {
                items.append(URLQueryItem(name: "connect_timeout", value: Self.seconds(connectTimeout)))
            }
            if queryTimeout != defaults.queryTimeout {
                items.append(URLQueryItem(name: "query_timeout", value: Self.seconds(queryTimeout)))
            }
            if minimumConnections != defaults.minimumConnections {
                items.append(URLQueryItem(name: "pool_min", value: String(minimumConnections)))
            }
            if maximumConnections != defaults.maximumConnections {
                items.append(URLQueryItem(name: "pool_max", value: String(maximumConnections)))
            }
            return items
        }

        /// Reads the options from URL query parameters, keeping the defaults for those not given.
        init(queryItems: [URLQueryItem]) throws(StoreError) {
            func value(_ name: String) -> String? { queryItems.first { $0.name == name }?.value }
            if let text = value("connect_timeout") { connectTimeout = try Self.duration(text, name: "connect_timeout") }
            if let text = value("query_timeout") { queryTimeout = try Self.duration(text, name: "query_timeout") }
            if let text = value("pool_min") {
                guard let count = Int(text), count >= 0 else {
                    throw StoreError("database URL: pool_min must be a whole number >= 0", kind: .invalidInput)
                }
                minimumConnections = count
            }
            if let text = value("pool_max") {
                guard let count = Int(text), count >= 1 else {
                    throw StoreError("database URL: pool_max must be a whole number >= 1", kind: .invalidInput)
                }
                maximumConnections = count
            }
            guard minimumConnections <= maximumConnections else {
                throw StoreError("database URL: pool_min must not exceed pool_max", kind: .invalidInput)
            }
        }

        private static func duration(_ text: String, name: String) throws(StoreError) -> Duration {
            guard let seconds = Double(text), seconds.isFinite, seconds > 0, seconds <= 3600 else {
                throw StoreError(
                    "database URL: \(name) must be a number of seconds above 0 and at most 3600", kind: .invalidInput)
            }
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }

        private static func seconds(_ duration: Duration) -> String {
            let milliseconds =
                duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
            return milliseconds % 1000 == 0 ? String(milliseconds / 1000) : String(Double(milliseconds) / 1000)
        }
    }

    /// How the server is reached.
    public enum Endpoint: Sendable, Equatable {
        /// A TCP host and port.
        case tcp(host: String, port: Int)
        /// The full path of a Unix domain socket file.
        case unixSocket(path: String)
    }

    /// The server endpoint.
    public var endpoint: Endpoint
    /// The role to log in as.
    public var username: String
    /// The password, if the server asks for one.
    public var password: String?
    /// The database to open.
    public var database: String
    /// Timeouts and pool sizes.
    public var options: Options

    /// Creates a configuration from its parts.
    public init(
        endpoint: Endpoint, username: String, password: String? = nil, database: String, options: Options = Options()
    ) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
        self.options = options
    }

    /// Parses a `postgres://` or `postgresql://` URL.
    public init(url string: String) throws(StoreError) {
        guard let components = URLComponents(string: string),
            let scheme = components.scheme, scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError("database URL must start with postgres:// or postgresql://", kind: .invalidInput)
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty else {
            throw StoreError(
                "database URL names no database (expected postgres://user@host/DATABASE)", kind: .invalidInput)
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError("database URL names no user (expected postgres://USER@host/database)", kind: .invalidInput)
        }
        let port = components.port ?? 5432
        let socketDirectory = components.queryItems?.first { $0.name == "host" }?.value
        if let host = components.host, !host.isEmpty {
            self.endpoint = .tcp(host: host, port: port)
        } else if let socketDirectory, socketDirectory.hasPrefix("/") {
            self.endpoint = .unixSocket(path: "\(socketDirectory)/.s.PGSQL.\(port)")
        } else {
            throw StoreError(
                "database URL names neither a host nor a socket directory (?host=/dir)", kind: .invalidInput)
        }
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password?.removingPercentEncoding
        self.database = database
        self.options = try Options(queryItems: components.queryItems ?? [])
    }

    /// The URL form, with the password included; never log it, use `description` instead.
    public var url: String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = username
        components.password = password
        components.path = "/\(database)"
        switch endpoint {
        case .tcp(let host, let port):
            components.host = host
            components.port = port
        case .unixSocket(let path):
            let directory = (path as NSString).deletingLastPathComponent
            let port = path.split(separator: ".").last.flatMap { Int($0) } ?? 5432
            components.host = ""
            if port != 5432 { components.port = port }
            components.queryItems = [URLQueryItem(name: "host", value: directory)]
        }
        let optionItems = options.queryItems
        if !optionItems.isEmpty { components.queryItems = (components.queryItems ?? []) + optionItems }
        return components.string ?? ""
    }

    /// A loggable form without the password.
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port): "postgres://\(username)@\(host):\(port)/\(database)"
        case .unixSocket(let path): "postgres://\(username)@[\(path)]/\(database)"
        }
    }

    /// The PostgresNIO client configuration for this endpoint, with the connect timeout and pool sizes of
    /// ``options``. (The query timeout is applied by ``DatabaseDeadline`` around each store operation.)
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: username, password: password, database: database, tls: .disable)
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        }
        configuration.options.connectTimeout = options.connectTimeout
        configuration.options.minimumConnections = options.minimumConnections
        configuration.options.maximumConnections = options.maximumConnections
        return configuration
    }

    /// The configuration of one connection outside any pool, for state tied to a session (advisory locks), with
    /// the connect timeout of ``options``.
    public var connectionConfiguration: PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: username, password: password, database: database, tls: .disable)
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        }
        configuration.options.connectTimeout = TimeAmount(options.connectTimeout)
        return configuration
    }
}
