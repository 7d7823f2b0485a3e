/// The category of a failure, independent of the component that produced it.
///
/// The HTTP layer maps a kind to a status code in exactly one place; domain code only says what
/// went wrong.
public enum ErrorKind: String, Sendable {
    /// The caller sent something malformed or semantically invalid (400).
    case invalidInput
    /// The caller did not prove who it is (401).
    case unauthenticated
    /// The caller is known but not allowed to do this (403).
    case forbidden
    /// The addressed thing does not exist, or the caller may not know it exists (404).
    case notFound
    /// The request conflicts with the current state (409).
    case conflict
    /// The request body or an embedded value is too large (413).
    case payloadTooLarge
    /// The request body is not of a media type the route accepts (415).
    case unsupportedMediaType
    /// The caller exceeded a rate limit or quota (429).
    case rateLimited
    /// A dependency is temporarily unavailable; retrying may help (503).
    case unavailable
    /// A bug or an unexpected failure on our side (500).
    case internalFailure
    /// The request is well-formed but cannot be done as asked, such as an idempotency key reused for another
    /// request (422).
    case unprocessable
}

/// Every domain error conforms; the HTTP layer maps `kind` to a status code in exactly one place.
///
/// `description` must be safe to show to the caller: it says what went wrong and never contains
/// secrets.
public protocol CustosError: Error, CustomStringConvertible, Sendable {
    /// The category of the failure.
    var kind: ErrorKind { get }
}
