import CustosCore
import HTTPTypes

extension ErrorKind {
    /// The one mapping from error categories to HTTP statuses, shared by every server.
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .invalidInput: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .payloadTooLarge: .contentTooLarge
        case .unsupportedMediaType: .unsupportedMediaType
        case .rateLimited: .tooManyRequests
        case .unprocessable: .unprocessableContent
        case .unavailable: .serviceUnavailable
        case .internalFailure: .internalServerError
        }
    }
}
