import CustosCore

extension ErrorKind {
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
