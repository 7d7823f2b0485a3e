import CustosCore

/// A failed call to another Custos process: unreachable, or answered with an error.
public struct RPCError: CustosError, Equatable {
    /// The service called, e.g. `ledger worker`.
    public let service: String
    /// The HTTP status received, or nil when the service could not be reached.
    public let status: Int?
    /// The error message the service gave, or the transport failure.
    public let message: String

    /// Creates an error.
    public init(service: String, status: Int?, message: String) {
        self.service = service
        self.status = status
        self.message = message
    }

    /// Client mistakes reported by the callee keep their category; the rest means the dependency failed.
    public var kind: ErrorKind {
        guard let status else { return .unavailable }
        let kind = ErrorKind(httpStatus: status)
        return kind == .internalFailure ? .unavailable : kind
    }

    public var description: String {
        switch status {
        case nil: "\(service) is unavailable: \(message)"
        case let status? where (400..<500).contains(status): message
        case let status?: "\(service) failed (\(status)): \(message)"
        }
    }
}
