import CustosCore
import Foundation

/// The administrator credential file: where the control plane is and the token to use it.
public struct AdminCredential: Codable, Sendable, Equatable {
    /// The control plane's base URL.
    public var controlUrl: String
    /// The administrator token (`csa_...`).
    public var token: String

    /// Creates a credential.
    public init(controlUrl: String, token: String) {
        self.controlUrl = controlUrl
        self.token = token
    }

    /// Reads a credential file, with a message that says what to do when it is missing.
    public static func read(from file: URL) throws -> AdminCredential {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw PlatformError(
                "no administrator credential at \(file.path); start the platform with `custos up` "
                    + "or use `custosctl login URL`")
        }
        do { return try JSONDecoder().decode(AdminCredential.self, from: data) } catch {
            throw PlatformError(
                "administrator credential at \(file.path) is damaged; remove it and restart `custos up`")
        }
    }

    /// The JSON form.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self)) + [0x0a]
    }
}
