import CustosCore

/// Why a presented credential was not accepted; messages never echo the credential.
public struct CredentialError: CustosError, Equatable {
    /// The message.
    public let message: String
    /// Always `unauthenticated`.
    public var kind: ErrorKind { .unauthenticated }

    /// The credential is not of the expected shape.
    public static func malformed(_ kind: SecretToken.Kind) -> CredentialError {
        CredentialError(
            message: kind == .apiKey
                ? "API key is malformed (expected cst_ followed by 48 to 50 base58 characters)"
                : "administrator token is malformed (expected csa_...)")
    }

    /// No credential was presented.
    public static let missingAPIKey = CredentialError(
        message: "missing API key: send it as X-API-Key header, Authorization: Bearer, or ?api-key=")
    /// The credential is well-formed but unknown, revoked, expired or for another tenant.
    public static let invalidAPIKey = CredentialError(message: "API key is not valid for this tenant")
    /// Admin routes need a token.
    public static let missingAdminToken = CredentialError(
        message: "missing administrator token: send Authorization: Bearer csa_...")
    /// The admin token is unknown or revoked.
    public static let invalidAdminToken = CredentialError(message: "administrator token is not valid")

    public var description: String { message }
}
