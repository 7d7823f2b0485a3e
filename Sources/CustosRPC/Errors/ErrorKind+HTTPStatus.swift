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
        case .unavailable: .serviceUnavailable
        case .internalFailure: .internalServerError
        }
    }

    /// The category of an HTTP status received from another Custos process.
    public init(httpStatus status: Int) {
        switch status {
        case 400, 422: self = .invalidInput
        case 401: self = .unauthenticated
        case 403: self = .forbidden
        case 404: self = .notFound
        case 409: self = .conflict
        case 413: self = .payloadTooLarge
        case 415: self = .unsupportedMediaType
        case 429: self = .rateLimited
        case 502, 503, 504: self = .unavailable
        default: self = .internalFailure
        }
    }
}
