import CustosCore
import CustosCrypto
import Foundation

/// The platform master key: it seals each tenant's data keys, which seal the secrets held at rest.
///
/// `custos up` keeps it in `DATA/master-key` (mode 0600) and hands it to workers in `CUSTOS_MASTER_KEY`
/// (base64), never on a command line. Losing it makes every sealed secret unreadable.
public struct MasterKey: Sendable, CustomStringConvertible {
    /// The environment variable that carries the key to worker processes.
    public static let environmentKey = "CUSTOS_MASTER_KEY"

    /// The key.
    public let key: SymmetricKey

    /// Wraps a key.
    public init(key: SymmetricKey) { self.key = key }

    /// The base64 form for the environment.
    public var encoded: String { Base64.encode(key.rawRepresentation) }

    /// Parses the base64 form.
    public init(encoded: String) throws(StoreError) {
        guard let bytes = try? Base64.decode(encoded.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? SymmetricKey(rawRepresentation: bytes)
        else { throw StoreError("master key must be 32 bytes in base64", kind: .invalidInput) }
        self.key = key
    }

    /// Reads `CUSTOS_MASTER_KEY`.
    public static func fromEnvironment() throws(StoreError) -> MasterKey {
        guard let value = ProcessInfo.processInfo.environment[environmentKey], !value.isEmpty else {
            throw StoreError("\(environmentKey) is not set; sealed secrets cannot be opened", kind: .invalidInput)
        }
        return try MasterKey(encoded: value)
    }

    public var description: String { "MasterKey(redacted)" }
}
