import CustosCore
import CustosCrypto
import Foundation

/// The shared secret that authenticates internal calls between Custos processes.
///
/// It travels in the environment (`CUSTOS_SERVICE_TOKEN`), never on a command line, and never prints.
public struct ServiceToken: Sendable, CustomStringConvertible {
    /// The environment variable that carries the token to child processes.
    public static let environmentKey = "CUSTOS_SERVICE_TOKEN"

    /// The token text; handle with care.
    public let secret: String

    /// Wraps an existing token, which must be at least 32 characters.
    public init(secret: String) throws(RequestError) {
        guard secret.utf8.count >= 32 else {
            throw RequestError(.invalidInput, "service token must be at least 32 characters")
        }
        self.secret = secret
    }

    /// A fresh random token (256 bits, base64url).
    public static func generate() -> ServiceToken {
        // Generated tokens are always long enough.
        try! ServiceToken(secret: "svc_" + Base64URL.encode(SecureRandom.bytes(count: 32)))
    }

    /// Reads the token from `CUSTOS_SERVICE_TOKEN`.
    public static func fromEnvironment() throws(RequestError) -> ServiceToken {
        guard let value = ProcessInfo.processInfo.environment[environmentKey], !value.isEmpty else {
            throw RequestError(.invalidInput, "\(environmentKey) is not set; internal calls cannot be authenticated")
        }
        return try ServiceToken(secret: value)
    }

    /// Constant-time comparison with a presented token.
    public func matches(_ presented: some StringProtocol) -> Bool {
        constantTimeEquals(Array(secret.utf8), Array(presented.utf8))
    }

    public var description: String { "ServiceToken(redacted)" }
}
