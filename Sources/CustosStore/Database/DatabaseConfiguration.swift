import CustosCore
import Foundation
import PostgresNIO

/// Where and how to reach PostgreSQL, parsed from a libpq-style URL.
///
/// Accepted forms: `postgres://user:password@host:5432/db` and, for Unix sockets,
/// `postgres://user@/db?host=/path/to/socket/dir` (the `host` parameter names the socket directory, as libpq does).
public struct DatabaseConfiguration: Sendable, Equatable, CustomStringConvertible {
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

    /// Creates a configuration from its parts.
    public init(endpoint: Endpoint, username: String, password: String? = nil, database: String) {
        self.endpoint = endpoint
        self.username = username
        self.password = password
        self.database = database
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
        return components.string ?? ""
    }

    /// A loggable form without the password.
    public var description: String {
        switch endpoint {
        case .tcp(let host, let port): "postgres://\(username)@\(host):\(port)/\(database)"
        case .unixSocket(let path): "postgres://\(username)@[\(path)]/\(database)"
        }
    }

    /// The PostgresNIO client configuration for this endpoint.
    public var clientConfiguration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            configuration = .init(
                host: host, port: port, username: username, password: password, database: database, tls: .disable)
        case .unixSocket(let path):
            configuration = .init(unixSocketPath: path, username: username, password: password, database: database)
        }
        configuration.options.minimumConnections = 1
        configuration.options.maximumConnections = 16
        return configuration
    }
}
