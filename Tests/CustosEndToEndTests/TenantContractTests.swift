import CustosClients
import CustosTenantAPI
import Foundation
import HTTPTypes
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Testing

extension Platforms.Shared {
    /// The tenant API answers in the shapes docs/openapi/tenant.json documents, for the generated and the
    /// hand-routed operations alike: every call goes through the client generated from the document, which
    /// rejects an undocumented status, a missing required member or a member of the wrong type.
    @Suite("Tenant API contract")
    struct TenantContractTests {
        static func client(_ tenant: TenantFixture, apiKey: String? = nil) throws -> Client {
            Client(
                serverURL: try #require(URL(string: tenant.gatewayURL)),
                configuration: Configuration(dateTranscoder: .iso8601WithFractionalSeconds),
                transport: AsyncHTTPClientTransport(),
                middlewares: [BearerMiddleware(token: apiKey ?? tenant.apiKey)])
        }

        @Test("every operation but tiles answers in its documented shape, errors included")
        func shapes() async throws {
            let platform = try SharedPlatform.platform()
            let tenant = try await TenantFixture.create(TenantFixture.uniqueID("contract"), on: platform)
            let api = try Self.client(tenant)

            let data = try OpenAPIValueContainer(
                unvalidatedValue: ["order": 7, "items": ["a", "b"]] as [String: any Sendable])
            let created = try await api.createLedgerMessage(
                body: .json(.init(data: data, encoding: .json, tag: "contract"))
            ).created.body.json
            let binary = try await api.createLedgerMessage(
                body: .json(.init(data: "AAEC", encoding: .base64, tag: "contract"))
            ).created.body.json

            let message = try await api.getLedgerMessage(path: .init(messageId: created.messageId)).ok.body.json
            #expect(message.messageId == created.messageId && message.tag == "contract")
            #expect(message.data == data && message.encoding == .json)
            let raw = try await api.getLedgerMessage(path: .init(messageId: binary.messageId)).ok.body.json
            #expect(raw.data == "AAEC" && raw.encoding == .base64)

            let page = try await api.listLedgerMessages(query: .init(tag: "contract")).ok.body.json
            #expect(page.messages.map(\.messageId) == [created.messageId, binary.messageId])

            let receipt = try await Self.receipt(created.messageId, api)
            #expect(receipt.messageId == created.messageId && receipt.tenant == tenant.id)
            #expect(!receipt.inclusionProof.isEmpty || receipt.leafIndex == 0)

            let ledger = try await api.getLedger().ok.body.json
            #expect(ledger.coordinatorKey.hasPrefix(ledger.origin + "+"))
            let note = try await String(
                collecting: try api.getCheckpoint().ok.body.plainText, upTo: 64 * 1024)
            #expect(note.hasPrefix(ledger.origin + "\n"))
            let latest = try await api.getLatestMilestone().ok.body.json
            let milestones = try await api.listMilestones(query: .init(after: 0, limit: 1000)).ok.body.json.milestones
            #expect(milestones.last == latest)
            let size = try #require(Int(note.split(separator: "\n")[1]))
            let proof = try await api.getConsistency(query: .init(from: 1, to: size)).ok.body.json
            #expect(proof.from == 1 && proof.to == size)

            // Documented errors, in the documented error shape.
            let unknown = String(repeating: "0", count: 64)
            #expect(try await api.getLedgerMessage(path: .init(messageId: unknown)).notFound.body.json.error != "")
            #expect(try await api.getLedgerMessage(path: .init(messageId: "xyz")).badRequest.body.json.error != "")
            #expect(try await api.getReceipt(path: .init(messageId: unknown)).notFound.body.json.error != "")
            #expect(
                try await api.getConsistency(query: .init(from: size + 1, to: size)).badRequest.body.json.error != "")
            #expect(try await api.listMilestones(query: .init(limit: 0)).badRequest.body.json.error != "")
            #expect(
                try await api.createLedgerMessage(
                    body: .json(.init(data: 1, tag: String(repeating: "t", count: 65)))
                ).badRequest.body.json.error.contains("at most 64"))
            let stranger = try Self.client(tenant, apiKey: "ck_live_not-a-key")
            #expect(try await stranger.getLedger().unauthorized.body.json.error != "")
        }

        /// Polls until a milestone confirmed the entry (409 until then, as documented).
        static func receipt(_ id: String, _ api: Client) async throws -> Components.Schemas.Receipt {
            let deadline = ContinuousClock.now + .seconds(30)
            while true {
                switch try await api.getReceipt(path: .init(messageId: id)) {
                case .ok(let ok): return try ok.body.json
                case .conflict where ContinuousClock.now < deadline: try await Task.sleep(for: .milliseconds(50))
                case let other: throw E2EError("no receipt for \(id): \(other)")
                }
            }
        }
    }
}

/// Sends the API key as a bearer token, one of the three ways the tenant API accepts it.
struct BearerMiddleware: ClientMiddleware {
    let token: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        var baseURL = baseURL
        if let (loopback, host) = LoopbackName.rewrite(baseURL) {
            baseURL = loopback
            request.headerFields[HTTPField.Name("Host")!] = host
        }
        request.headerFields[.authorization] = "Bearer \(token)"
        return try await next(request, body, baseURL)
    }
}
