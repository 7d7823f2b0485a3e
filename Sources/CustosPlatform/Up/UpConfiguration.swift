import CustosClients
import CustosServer
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
    /// The public host name that names this installation's ledger logs (`<host>/<tenant>`); nil names them
    /// after the installation identity (`<installation id>.custos.local/<tenant>`).
    public var publicOriginHost: String?
    /// The checkpoint origin prefix of new ledger networks, resolved at start from `publicOriginHost` and the
    /// installation identity (`PlatformUp`); existing networks keep the origin they were created with.
    public var ledgerOriginPrefix: String?
    /// Timeouts and connection limits handed to every child process.
    public var limits: ConnectionLimits = .standard
    /// The control plane's `--max-tenants`, when set.
    public var maxTenants: Int?
    /// The pooled gateway's port (0 picks a free one).
    public var gatewayPort = 7000
    /// The domain below which pooled tenants are named.
    public var gatewayDomain = "localhost"
    /// A plans file instead of the shipped one.
    public var plansFile: String?
    /// The control plane's signup bounds, as its arguments.
    public var signupArguments: [String] = []
    /// The pooled gateway's own settings, as its arguments.
    public var pooledGatewayArguments: [String] = []

    /// Creates a configuration.
    public init(
        dataDirectory: DataDirectory, databaseURL: String?, host: String, controlPort: Int, logLevel: Logger.Level,
        publicOriginHost: String? = nil
    ) {
        self.dataDirectory = dataDirectory
        self.databaseURL = databaseURL
        self.host = host
        self.controlPort = controlPort
        self.logLevel = logLevel
        self.publicOriginHost = publicOriginHost
    }

    /// The ledger worker's arguments beyond its role and port.
    var ledgerWorkerArguments: [String] { ledgerOriginPrefix.map { ["--origin-prefix", $0] } ?? [] }
}

extension ChildSpec {
    /// The same spec with more arguments at the end.
    func appending(_ extra: [String]) -> ChildSpec {
        var spec = self
        spec.arguments += extra
        return spec
    }
}
