import HTTPTypes
import NIOHTTP1
import Testing

@testable import CustosServer

@Suite("Request guard state")
struct RequestGuardStateTests {
    let limits = ConnectionLimits(
        headerTimeout: .seconds(2), bodyTimeout: .seconds(3), idleTimeout: .seconds(4), maximumConnections: 8,
        maximumBodySize: 1000)

    @Test("each phase runs its own timer, and a timeout answers 408 unless the connection was idle")
    func timers() {
        var state = RequestGuardState(limits: limits)
        #expect(state.connectionActive() == .startTimer(.seconds(2)))
        #expect(state.headReceived(declaredLength: 10, expectsContinue: false) == .startTimer(.seconds(3)))
        #expect(state.requestEnded() == .stopTimer)
        #expect(state.timerFired() == .none)
        #expect(state.responseEnded() == .startTimer(.seconds(4)))
        #expect(state.bytesArrived() == .startTimer(.seconds(2)))
        #expect(state.bytesArrived() == .none)
        guard case .refuse(.requestTimeout, let message) = state.timerFired() else {
            Issue.record("a header timeout must answer 408")
            return
        }
        #expect(message.contains("headers"))
        #expect(state.isClosing)

        var idle = RequestGuardState(limits: limits)
        _ = idle.connectionActive()
        _ = idle.headReceived(declaredLength: nil, expectsContinue: false)
        _ = idle.requestEnded()
        _ = idle.responseEnded()
        #expect(idle.timerFired() == .close)

        var body = RequestGuardState(limits: limits)
        _ = body.connectionActive()
        _ = body.headReceived(declaredLength: 500, expectsContinue: false)
        guard case .refuse(.requestTimeout, let bodyMessage) = body.timerFired() else {
            Issue.record("a body timeout must answer 408")
            return
        }
        #expect(bodyMessage.contains("body"))
    }

    @Test("oversized declared bodies are refused before reading; 100-continue is answered")
    func declaredLength() {
        var state = RequestGuardState(limits: limits)
        _ = state.connectionActive()
        guard case .refuse(.contentTooLarge, _) = state.headReceived(declaredLength: 1 << 62, expectsContinue: true)
        else {
            Issue.record("expected 413")
            return
        }
        var continuing = RequestGuardState(limits: limits)
        _ = continuing.connectionActive()
        #expect(continuing.headReceived(declaredLength: 1000, expectsContinue: true) == .sendContinue)
    }

    @Test("framing errors: JSON 400 between requests, the route's answer inside a body, then close")
    func framing() {
        var between = RequestGuardState(limits: limits)
        _ = between.connectionActive()
        #expect(between.framingError("bad") == .refuse(.badRequest, "bad"))

        var inBody = RequestGuardState(limits: limits)
        _ = inBody.connectionActive()
        _ = inBody.headReceived(declaredLength: nil, expectsContinue: false)
        #expect(inBody.framingError("bad") == .propagate)
        #expect(inBody.responseEnded() == .close)

        var responding = RequestGuardState(limits: limits)
        _ = responding.connectionActive()
        _ = responding.headReceived(declaredLength: nil, expectsContinue: false)
        _ = responding.requestEnded()
        #expect(responding.framingError("bad") == .none)
        #expect(responding.responseEnded() == .refuse(.badRequest, "bad"))
        #expect(RequestGuardState.describe(.invalidChunkSize) == "malformed HTTP request: invalid chunk size")
    }
}
