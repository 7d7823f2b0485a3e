import CustosCore

/// Decides whether a presented API key is a live key of a tenant: not revoked, not expired, tenant active.
///
/// The gateway depends on this protocol, not on where keys are kept.
public protocol APIKeyVerifier: Sendable {
    /// Whether `key` currently authenticates callers as `tenant`.
    func isValid(_ key: SecretToken, tenant: TenantID) async throws -> Bool
}
