import CustosClients
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Enforces ``ConnectionLimits`` on one HTTP/1 connection and answers what the router never sees.
///
/// It sits after the HTTP codec and watches the request parts going in and the response parts going out:
/// - header, body and idle timeouts (408 with a JSON error, or a silent close when idle);
/// - `Content-Length` above the process limit: 413 before any of the body is read;
/// - `Expect: 100-continue`: the interim response, so clients that wait for it send their body;
/// - malformed framing outside a request (bad request line, bad chunk size on a pipelined request): a JSON 400
///   instead of the framework's empty one. Framing errors inside a body reach the handler reading it, whose
///   error mapping answers 400; the connection is then closed after that answer.
///
/// A companion ``RawByteObserver`` at the front of the pipeline reports the first byte of each request, which
/// starts the header timer; the two share the event loop, so no locking is needed.
final class RequestGuardHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var state: RequestGuardState
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(limits: ConnectionLimits) {
        state = RequestGuardState(limits: limits)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        try? context.pipeline.syncOperations.addHandler(RawByteObserver(owner: self), position: .first)
        if context.channel.isActive { perform(state.connectionActive(), context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        perform(state.connectionActive(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    /// Called by the observer when bytes arrive from the client.
    func bytesArrived() {
        guard let context else { return }
        perform(state.bytesArrived(), context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            let action = state.headReceived(
                declaredLength: head.headerFields[.contentLength].flatMap { Int($0) },
                expectsContinue: head.headerFields[.expect]?.lowercased() == "100-continue")
            perform(action, context: context)
            if case .refuse = action { return }
        case .body:
            break
        case .end:
            perform(state.requestEnded(), context: context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if state.isClosing {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        context.write(data, promise: promise)
        perform(state.responseEnded(), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let action = state.framingError(RequestGuardState.describe(parserError))
        if case .propagate = action {
            context.fireErrorCaught(error)
        } else {
            perform(action, context: context)
        }
    }

    private func perform(_ action: RequestGuardState.Action, context: ChannelHandlerContext) {
        switch action {
        case .none, .propagate:
            break
        case .startTimer(let delay):
            timer?.cancel()
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(delay)) { [weak self] in
                guard let self, let context = self.context else { return }
                self.timer = nil
                self.perform(self.state.timerFired(), context: context)
            }
        case .stopTimer:
            timer?.cancel()
            timer = nil
        case .sendContinue:
            timer?.cancel()
            timer = nil
            perform(state.bodyTimer, context: context)
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        case .refuse(let status, let message):
            timer?.cancel()
            timer = nil
            Self.writeError(status: status, message: message, context: context)
            context.close(promise: nil)
        case .close:
            timer?.cancel()
            timer = nil
            context.close(promise: nil)
        }
    }

    private static func writeError(status: HTTPResponse.Status, message: String, context: ChannelHandlerContext) {
        let body = ErrorBody.jsonBuffer(message)
        let head = HTTPResponse(
            status: status,
            headerFields: [
                .contentType: "application/json; charset=utf-8", .contentLength: String(body.readableBytes),
                .connection: "close",
            ])
        context.write(NIOAny(HTTPResponsePart.head(head)), promise: nil)
        context.write(NIOAny(HTTPResponsePart.body(body)), promise: nil)
        context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)), promise: nil)
    }
}

/// Sits at the front of the pipeline and tells the guard when client bytes arrive, before they are decoded.
final class RawByteObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private weak var owner: RequestGuardHandler?

    init(owner: RequestGuardHandler) { self.owner = owner }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        owner?.bytesArrived()
        context.fireChannelRead(data)
    }
}
