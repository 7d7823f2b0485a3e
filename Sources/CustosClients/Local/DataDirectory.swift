import CustosCore
import Foundation

/// The files of a Custos installation: the embedded PostgreSQL, the administrator credential and the
/// service token. Secrets are written with mode 0600 inside a 0700 directory.
public struct DataDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// The administrator credential and control-plane address, read by `custosctl`.
    public var adminCredentialFile: URL { url.appendingPathComponent("admin.json") }
    /// The shared secret of internal calls.
    public var serviceTokenFile: URL { url.appendingPathComponent("service-token") }
    /// The platform master key that seals tenant data keys.
    public var masterKeyFile: URL { url.appendingPathComponent("master-key") }
    /// The control plane's key for the platform audit's records.
    public var auditSigningKeyFile: URL { url.appendingPathComponent("audit-signing.key") }
    /// The key the platform audit is handed over from, while `custos audit-signing-key --rotate` rotates it.
    public var previousAuditSigningKeyFile: URL { url.appendingPathComponent("audit-signing.key.previous") }
    /// The installation identity (not secret, but it must never change: it names the installation's ledgers).
    public var installationIDFile: URL { url.appendingPathComponent("installation-id") }
    /// The embedded PostgreSQL's directory.
    public var postgresDirectory: URL { url.appendingPathComponent("postgres") }

    /// Wraps a directory path.
    public init(url: URL) { self.url = url.standardizedFileURL }

    /// `--data-dir`, else `CUSTOS_DATA_DIR`, else the per-user default: `/var/lib/custos` for root (whose
    /// home the unprivileged PostgreSQL user cannot enter), `$XDG_DATA_HOME/custos` or
    /// `~/.local/share/custos` otherwise.
    public static func resolve(_ explicit: String?) -> DataDirectory {
        let environment = ProcessInfo.processInfo.environment
        if let path = explicit ?? environment["CUSTOS_DATA_DIR"], !path.isEmpty {
            return DataDirectory(url: URL(fileURLWithPath: path))
        }
        if geteuid() == 0 { return DataDirectory(url: URL(fileURLWithPath: "/var/lib/custos")) }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return DataDirectory(url: URL(fileURLWithPath: xdg).appendingPathComponent("custos"))
        }
        let home = FileManager.default.homeDirectoryForCurrentUser
        return DataDirectory(url: home.appendingPathComponent(".local/share/custos"))
    }

    /// Creates the directory (0711: the PostgreSQL user must be able to pass through it).
    public func create() throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        chmod(url.path, 0o711)
    }

    /// Writes a secret file atomically with mode 0600.
    public func writeSecret(_ contents: [UInt8], to file: URL) throws {
        let temporary = file.appendingPathExtension("tmp")
        _ = FileManager.default.createFile(
            atPath: temporary.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: contents)
        try handle.synchronize()
        try handle.close()
        chmod(temporary.path, 0o600)
        guard rename(temporary.path, file.path) == 0 else {
            throw PlatformError("cannot write \(file.path): errno \(errno)", kind: .internalFailure)
        }
    }
}
