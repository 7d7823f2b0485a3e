import CustosClients
import CustosCore
import CustosLedger
import Testing

@testable import CustosGateway

@Suite("Tenant ledger API validation")
struct LedgerMessageRoutesTests {
    private func submission(_ text: String) throws -> LedgerEntry {
        try LedgerMessageRoutes.submission(from: try JSONParser.parse(text))
    }

    private func rejection(_ text: String) -> String? {
        do {
            _ = try submission(text)
            return nil
        } catch let error as any CustosError {
            return error.description
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test("JSON data is stored as its canonical bytes, base64 data as raw bytes")
    func accepted() throws {
        let json = try submission(#"{"tag":"orders","data":{"b":1,"a":"x/y"}}"#)
        #expect(json.payload.data == Array(#"{"a":"x/y","b":1}"#.utf8))
        #expect(json.payload.tag == Array("orders".utf8))
        #expect(json.contentType == "application/json")
        let binary = try submission(#"{"tag":"","data":"AAEC","encoding":"base64"}"#)
        #expect(binary.payload.data == [0, 1, 2])
        #expect(binary.contentType == "application/octet-stream")
    }

    @Test("each kind of bad body gets its own message")
    func rejected() {
        let cases: [(String, String)] = [
            ("[1]", "JSON object"),
            (#"{"data":1}"#, "\"tag\" is required"),
            (#"{"tag":5,"data":1}"#, "\"tag\" is required and must be a string"),
            (#"{"tag":"t"}"#, "\"data\" is required"),
            (#"{"tag":"t","data":1,"x":0}"#, "unknown field \"x\""),
            (#"{"tag":"t","data":1,"encoding":"hex"}"#, "encoding must be"),
            (#"{"tag":"t","data":1,"encoding":7}"#, "encoding must be"),
            (#"{"tag":"t","data":5,"encoding":"base64"}"#, "string of canonical base64"),
            (#"{"tag":"t","data":"!!","encoding":"base64"}"#, "string of canonical base64"),
            // The document's pattern once let this through: its last character has unused bits set.
            (#"{"tag":"t","data":"V1aE16==","encoding":"base64"}"#, "unused bits of its last character zero"),
            (#"{"tag":"t","data":"AAE","encoding":"base64"}"#, "canonical base64 (RFC 4648 §4, padded"),
            ("{\"tag\":\"\(String(repeating: "é", count: 33))\",\"data\":1}", "at most 64 are allowed"),
        ]
        for (body, fragment) in cases {
            let message = rejection(body)
            #expect(message?.contains(fragment) == true, "\(body): \(message ?? "accepted")")
        }
    }

    @Test("stored messages are presented in the encoding they were written in")
    func presentation() throws {
        let stored = LedgerAPI.Message(
            messageId: String(repeating: "a", count: 64), networkId: "1", parents: [],
            tag: Base64.encode(Array("t".utf8)),
            data: Base64.encode(Array(#"{"k":[1,2]}"#.utf8)), contentType: "application/json", raw: "",
            receivedAt: "2026-01-01T00:00:00.000Z", sequence: "1")
        let json = try LedgerMessageRoutes.presentation(of: stored)
        #expect(json.encoding == "json" && json.data == ["k": [1, 2]] && json.tag == "t")
        var binary = stored
        binary.contentType = "application/octet-stream"
        let raw = try LedgerMessageRoutes.presentation(of: binary)
        #expect(raw.encoding == "base64" && raw.data == .string(stored.data))
    }
}
