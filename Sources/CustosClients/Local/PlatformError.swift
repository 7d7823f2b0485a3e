import CustosCore

/// A failure of platform orchestration (`custos up`, `custosctl` configuration).
public struct PlatformError: CustosError, Equatable {
    /// The message.
    public let message: String
    /// The category.
    public let kind: ErrorKind

    /// Creates an error.
    public init(_ message: String, kind: ErrorKind = .invalidInput) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}
