/// A document the operator reads (a CustosTenant, the gateway template, a Lease) is not what it must be.
public struct OperatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the field.
    public let message: String

    /// An error saying `message`.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
