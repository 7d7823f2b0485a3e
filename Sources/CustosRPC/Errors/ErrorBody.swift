/// The JSON body of every error response: `{"error": "..."}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// A sentence saying what went wrong.
    public var error: String

    /// Creates a body.
    public init(error: String) { self.error = error }
}
