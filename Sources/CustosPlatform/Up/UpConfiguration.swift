import Logging

/// Settings of `custos up`.
public struct UpConfiguration: Sendable {
    /// Where the platform keeps its files.
    public var dataDirectory: DataDirectory
    /// An external PostgreSQL; nil runs the embedded one.
    public var databaseURL: String?
    /// The address the control plane and gateways bind to.
    public var host: String
    /// The control plane's port (0 picks a free one).
    public var controlPort: Int
    /// The log level handed to every child.
    public var logLevel: Logger.Level

    /// Creates a configuration.
    public init(
        dataDirectory: DataDirectory, databaseURL: String?, host: String, controlPort: Int, logLevel: Logger.Level
    ) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.host = host
        self.controlPort = controlPort
        self.logLevel = logLevel
    }
}
