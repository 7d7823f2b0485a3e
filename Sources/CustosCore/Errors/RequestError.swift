/// A client mistake detected by a server: bad body, missing credential, unknown resource.
public struct RequestError: CustosError, Equatable {
    /// What is wrong with the request, safe to show to the caller.
    public let message: String
    /// The category, which decides the HTTP status.
    public let kind: ErrorKind

    /// Creates an error of the given category.
    public init(_ kind: ErrorKind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
