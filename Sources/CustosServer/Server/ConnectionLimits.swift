/// The limits every Custos HTTP process enforces per connection, so a client without a credential cannot hold
/// a process's connections or descriptors.
public struct ConnectionLimits: Sendable, Equatable {
    /// A new request's head (request line and headers) must arrive within this time of its first byte, and a new
    /// connection must start its first request within it.
    public var headerTimeout: Duration
    /// A request's body must arrive completely within this time of its head.
    public var bodyTimeout: Duration
    /// A kept-alive connection with no request in progress is closed after this time.
    public var idleTimeout: Duration
    /// Connections served at once; further ones wait in the listen backlog until one closes.
    public var maximumConnections: Int
    /// Bodies declared larger than this (`Content-Length`) are refused with 413 before they are read; each route
    /// applies its own, usually smaller, limit as well.
    public var maximumBodySize: Int

    /// Creates limits; the defaults suit a gateway on a small machine.
    public init(
        headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60),
        maximumConnections: Int = 1024, maximumBodySize: Int = 16 << 20
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
        self.maximumBodySize = maximumBodySize
    }

    /// The defaults.
    public static let standard = ConnectionLimits()
}

extension ConnectionLimits {
    /// The options of `custos control|gateway|worker` that carry these limits, for a supervisor starting them.
    public var commandLineArguments: [String] {
        [
            "--header-timeout", String(headerTimeout.components.seconds),
            "--body-timeout", String(bodyTimeout.components.seconds),
            "--idle-timeout", String(idleTimeout.components.seconds),
            "--max-connections", String(maximumConnections),
        ]
    }
}
