/// A JSON document was malformed, exceeded a limit, or could not be canonicalised.
public struct JSONError: CustosError, Equatable {
    /// What went wrong, e.g. `duplicate key "a"`.
    public let message: String
    /// The byte offset in the input where the problem was found, when parsing.
    public let offset: Int?

    public init(message: String, offset: Int? = nil) {
        self.message = message
        self.offset = offset
    }

    public var kind: ErrorKind { .invalidInput }

    /// For example `invalid JSON at byte 17: duplicate key "a"`.
    public var description: String {
        if let offset {
            return "invalid JSON at byte \(offset): \(message)"
        }
        return "invalid JSON: \(message)"
    }
}
