import CustosClients
import CustosCore
import CustosCrypto
import Foundation

/// The identity of one Custos installation: 128 random bits, written as 32 lowercase hex digits, created at
/// the first start of `custos up` and kept in the data directory (`installation-id`). It is not secret, but
/// it must stay stable: it names the installation's ledger logs, and receipts already issued carry those
/// names.
public struct InstallationIdentity: Sendable, Hashable, CustomStringConvertible {
    /// 32 lowercase hex digits.
    public let id: String

    /// The domain under which an installation without a public host name names its logs.
    public static let defaultOriginDomain = "custos.local"

    /// Wraps an id; it must be exactly 32 lowercase hex digits.
    public init(id: String) throws {
        guard id.utf8.count == 32, id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { throw PlatformError("an installation id is 32 lowercase hex digits, got \(id.debugDescription)") }
        self.id = id
    }

    /// A new random identity.
    public static func generate() -> InstallationIdentity {
        try! InstallationIdentity(id: Hex.encode(SecureRandom.bytes(count: 16)))
    }

    public var description: String { id }

    /// The prefix of every checkpoint origin of this installation, `<prefix>/<tenant>`: the public host name
    /// when one is configured, else `<installation id>.custos.local`. Both are host names (the id is one
    /// 32-character DNS label), so origins are valid signed-note key names and C2SP schema-less URLs.
    public func originPrefix(publicHost: String?) -> String {
        publicHost ?? "\(id).\(Self.defaultOriginDomain)"
    }

    /// Reads the identity of a data directory, creating it on first use. A damaged file is an error, never
    /// silently replaced: new ledger networks would get other origins.
    public static func loadOrCreate(in directory: DataDirectory) throws -> InstallationIdentity {
        let file = directory.installationIDFile
        if let existing = try read(file) { return existing }
        let created = generate()
        // Written to a temporary file, then linked into place: of two concurrent first starts, one wins and the
        // other reads the winner's identity.
        let temporary = file.appendingPathExtension("\(getpid()).tmp")
        try directory.writeSecret(Array("\(created.id)\n".utf8), to: temporary)
        defer { unlink(temporary.path) }
        if link(temporary.path, file.path) != 0 {
            guard errno == EEXIST, let winner = try read(file) else {
                throw PlatformError("cannot write \(file.path): errno \(errno)", kind: .internalFailure)
            }
            return winner
        }
        return created
    }

    private static func read(_ file: URL) throws -> InstallationIdentity? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        do { return try InstallationIdentity(id: text) } catch {
            throw PlatformError(
                "\(file.path) is damaged (\(error)); restore it from a backup: it names this installation's ledgers",
                kind: .internalFailure)
        }
    }

    /// Checks and normalises a public host name for checkpoint origins (`custos up --public-origin-host`):
    /// DNS labels of letters, digits and hyphens, 1…63 characters each, not starting or ending with a hyphen,
    /// at most 253 characters in all, at least two labels; returned in lower case.
    public static func validatePublicHost(_ name: String) throws -> String {
        let host = name.lowercased()
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            host.utf8.count <= 253 && labels.count >= 2
            && labels.allSatisfy { label in
                (1...63).contains(label.utf8.count) && label.utf8.first != 0x2D && label.utf8.last != 0x2D
                    && label.utf8.allSatisfy {
                        (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D
                    }
            }
        guard valid else {
            throw PlatformError(
                "a public origin host is a DNS name such as ledger.example.com (letters, digits, hyphens, dots), "
                    + "got \(name.debugDescription)")
        }
        return host
    }

    /// Checks an origin prefix as the ledger worker receives it (`--origin-prefix`): `<prefix>/<tenant>` must
    /// be a valid signed-note key name, so no white space, no `+`, no control character, and no trailing `/`.
    public static func validateOriginPrefix(_ prefix: String) throws {
        let valid =
            !prefix.isEmpty && !prefix.hasSuffix("/")
            && !prefix.unicodeScalars.contains { $0.properties.isWhitespace || $0 == "+" || $0.value < 0x20 }
        guard valid else {
            throw PlatformError(
                "an origin prefix is non-empty text without spaces, '+' or a trailing '/', such as ledger.example.com, "
                    + "got \(prefix.debugDescription)")
        }
    }
}
