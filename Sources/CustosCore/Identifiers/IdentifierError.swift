/// An identifier (tenant id, digest, …) was malformed.
public struct IdentifierError: CustosError, Equatable {
    /// What went wrong, e.g. `digest must be exactly 32 bytes, got 31`.
    public let message: String

    public init(message: String) {
        self.message = message
    }

    public var kind: ErrorKind { .invalidInput }

    public var description: String { message }
}
