import CustosCore

/// Why the keyring could not give out or use a tenant data key. Messages name the tenant and component, never
/// key material.
public struct KeyringError: CustosError, Equatable {
    /// What went wrong, for callers that react to one case.
    public enum Reason: String, Sendable {
        /// The tenant never had a data key for the component.
        case missing
        /// The data key was destroyed (crypto-shredding): everything sealed under it is unreadable for good.
        case destroyed
        /// The stored data key does not open under this master key: the wrong `CUSTOS_MASTER_KEY`, or the row
        /// was altered.
        case masterKeyMismatch
        /// A sealed secret does not open under the data key: it was moved to another tenant, component or row,
        /// altered, or sealed under a data key that has since been destroyed and re-created.
        case secretDoesNotOpen
    }

    /// The case.
    public let reason: Reason
    /// A sentence an operator can act on.
    public let message: String

    /// Creates an error.
    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    /// A missing or destroyed key is a 404: the tenant's sealed data is gone. The others are our failures.
    public var kind: ErrorKind {
        switch reason {
        case .missing, .destroyed: .notFound
        case .masterKeyMismatch, .secretDoesNotOpen: .internalFailure
        }
    }

    public var description: String { message }
}
