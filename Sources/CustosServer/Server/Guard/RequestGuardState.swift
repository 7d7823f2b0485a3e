import HTTPTypes
import NIOHTTP1

/// The connection state behind ``RequestGuardHandler``: which timer runs, and what to answer, as a pure value.
struct RequestGuardState {
    enum Phase: Equatable {
        /// Kept alive, no request in progress: the idle timer runs.
        case idle
        /// Bytes of a request head are arriving: the header timer runs.
        case receivingHead
        /// The head arrived and the body is arriving: the body timer runs.
        case receivingBody
        /// The request was read; the process is answering. No timer: the route's own deadlines apply.
        case responding
        /// An error response was sent or the connection is being closed.
        case closing
    }

    enum Action: Equatable {
        case none
        case startTimer(Duration)
        case stopTimer
        case sendContinue
        case refuse(HTTPResponse.Status, String)
        case close
        case propagate
    }

    let limits: ConnectionLimits
    private(set) var phase: Phase = .receivingHead
    /// A framing error arrived while a response was being written; answer it once that response is done.
    private var pendingFramingError: String?
    private var closeAfterResponse = false

    init(limits: ConnectionLimits) { self.limits = limits }

    var isClosing: Bool { phase == .closing }

    /// The body timer, for the handler to start after the interim response.
    var bodyTimer: Action { .startTimer(limits.bodyTimeout) }

    mutating func connectionActive() -> Action {
        phase = .receivingHead
        return .startTimer(limits.headerTimeout)
    }

    mutating func bytesArrived() -> Action {
        guard phase == .idle else { return .none }
        phase = .receivingHead
        return .startTimer(limits.headerTimeout)
    }

    mutating func headReceived(declaredLength: Int?, expectsContinue: Bool) -> Action {
        guard phase != .closing else { return .none }
        if let declaredLength, declaredLength > limits.maximumBodySize {
            phase = .closing
            return .refuse(
                .contentTooLarge,
                "request body of \(declaredLength) bytes is larger than this server accepts (\(limits.maximumBodySize))"
            )
        }
        phase = .receivingBody
        return expectsContinue ? .sendContinue : .startTimer(limits.bodyTimeout)
    }

    mutating func requestEnded() -> Action {
        guard phase == .receivingBody else { return .none }
        phase = .responding
        return .stopTimer
    }

    mutating func responseEnded() -> Action {
        if closeAfterResponse {
            phase = .closing
            return .close
        }
        if let message = pendingFramingError {
            phase = .closing
            return .refuse(.badRequest, message)
        }
        guard phase == .responding else { return .none }
        phase = .idle
        return .startTimer(limits.idleTimeout)
    }

    mutating func timerFired() -> Action {
        switch phase {
        case .idle:
            phase = .closing
            return .close
        case .receivingHead:
            phase = .closing
            return .refuse(
                .requestTimeout, "request headers did not arrive within \(Self.seconds(limits.headerTimeout))")
        case .receivingBody:
            phase = .closing
            return .refuse(.requestTimeout, "request body did not arrive within \(Self.seconds(limits.bodyTimeout))")
        case .responding, .closing:
            return .none
        }
    }

    mutating func framingError(_ message: String) -> Action {
        switch phase {
        case .idle, .receivingHead:
            phase = .closing
            return .refuse(.badRequest, message)
        case .receivingBody:
            // The route reading the body gets the error and answers 400; nothing more may follow on this connection.
            closeAfterResponse = true
            return .propagate
        case .responding:
            pendingFramingError = message
            return .none
        case .closing:
            return .none
        }
    }

    /// A client-facing sentence for a parser error.
    static func describe(_ error: HTTPParserError) -> String {
        let detail =
            switch error {
            case .invalidChunkSize: "invalid chunk size"
            case .invalidContentLength, .unexpectedContentLength: "invalid Content-Length"
            case .headerOverflow: "headers are too large"
            case .invalidMethod: "invalid method"
            case .invalidURL: "invalid request target"
            case .invalidVersion: "invalid HTTP version"
            case .invalidHeaderToken, .invalidCharactersUsed: "invalid header"
            default: "\(error)"
            }
        return "malformed HTTP request: \(detail)"
    }

    private static func seconds(_ duration: Duration) -> String {
        "\(duration.components.seconds) s"
    }
}
