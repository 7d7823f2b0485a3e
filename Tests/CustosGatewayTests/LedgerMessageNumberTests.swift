import CustosClients
import CustosCore
import CustosLedger
import CustosServer
import Hummingbird
import Testing

@testable import CustosGateway

@Suite("Tenant entries keep their numbers exactly")
struct LedgerMessageNumberTests {
    private func request(_ body: String) -> Request {
        var head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/api/v1/ledger/messages")
        head.headerFields[.contentType] = "application/json"
        return Request(head: head, body: RequestBody(buffer: ByteBuffer(string: body)))
    }

    /// The submission the gateway would forward for `body`, read the way the route reads it.
    private func submission(_ body: String) async throws -> LedgerEntry {
        var request = request(body)
        return try LedgerMessageRoutes.submission(
            from: try await request.strictJSONBody(limit: LedgerMessageRoutes.bodyLimit))
    }

    @Test("A number a double would round is refused as invalid input, with the advice to send it as a string")
    func inexactNumberRefused() async throws {
        do {
            let submit = try await submission(#"{"tag":"n","data":9007199254740993}"#)
            Issue.record("accepted and stored as \(submit.payload.data)")
        } catch let error as RequestError {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("at byte 18"), "\(error.message)")
            #expect(
                error.message.contains(
                    "number 9007199254740993 cannot be kept exactly: as an IEEE-754 double it is written "
                        + "9007199254740992"),
                "\(error.message)")
            #expect(error.message.hasSuffix("send it as a string"), "\(error.message)")
        }
    }

    @Test("Exact numbers and numbers sent as strings are stored as sent")
    func exactNumbersStored() async throws {
        let asString = try await submission(#"{"tag":"n","data":"9007199254740993"}"#)
        #expect(asString.payload.data == Array(#""9007199254740993""#.utf8))
        let exact = try await submission(#"{"tag":"n","data":[9007199254740992,0.1,1.0,-0]}"#)
        #expect(exact.payload.data == Array("[9007199254740992,0.1,1,0]".utf8))
    }
}
