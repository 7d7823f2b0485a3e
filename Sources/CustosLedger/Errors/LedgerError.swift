import CustosCore

/// Why a ledger message or proof was rejected.
public struct LedgerError: CustosError, Equatable {
    /// A sentence naming the offending field.
    public let message: String
    /// The category; malformed input unless stated.
    public let kind: ErrorKind

    /// Creates an error.
    public init(_ message: String, kind: ErrorKind = .invalidInput) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}
