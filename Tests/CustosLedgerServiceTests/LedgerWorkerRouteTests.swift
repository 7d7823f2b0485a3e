import AsyncHTTPClient
import CustosAuth
import CustosCore
import CustosCrypto
import CustosLedger
import CustosLedgerWorkerAPI
import CustosServer
import CustosStore
import CustosStoreTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ServiceLifecycle
import Testing

@testable import CustosLedgerService

// The ledger worker's router (docs/openapi/ledger-worker.yaml) driven through HummingbirdTesting, without starting a
// process: the real `LedgerWorker.makeRouter` over a real `LedgerStore` on one embedded PostgreSQL for the file.

private let logger = Logger(label: "test")
private let serviceToken = try! ServiceToken(secret: "svc_" + String(repeating: "r", count: 40))
private let originPrefix = "custos.test"

/// A test's failure to reach the state it needs.
private struct RouteTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One embedded PostgreSQL with the ledger migrations applied, for every test of the suite it is applied to (one
/// start instead of one per test); each test has tenants and a sequencer registry of its own.
private struct SharedLedgerDatabase: SuiteTrait, TestScoping {
    @TaskLocal static var store: LedgerStore?
    @TaskLocal static var configuration: DatabaseConfiguration?

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await withTemporaryCluster { _, configuration in
            try await withClient(configuration) { client in
                let store = LedgerStore(client: client, masterKey: MasterKey(key: SymmetricKey()), logger: logger)
                try await store.migrate()
                try await Self.$store.withValue(store) {
                    try await Self.$configuration.withValue(configuration) { try await function() }
                }
            }
        }
    }
}

/// How a request authenticates.
private enum Credential: Sendable, CaseIterable {
    case service, none, wrongToken, truncatedToken, withoutScheme

    var header: String? {
        switch self {
        case .service: "Bearer " + serviceToken.secret
        case .none: nil
        case .wrongToken: "Bearer svc_" + String(repeating: "w", count: 40)
        case .truncatedToken: "Bearer " + serviceToken.secret.dropLast()
        case .withoutScheme: serviceToken.secret
        }
    }
}

/// A client of one worker's router.
private struct Worker: Sendable {
    let client: any TestClientProtocol
    /// Every route of the router, `METHOD /path/{parameter}`.
    let routes: [String]

    func send(
        _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, contentType: String = "application/json",
        as credential: Credential = .service
    ) async throws -> TestResponse {
        try await send(method, uri, bytes: body.map { Array($0.utf8) }, contentType: contentType, as: credential)
    }

    func send(
        _ method: HTTPRequest.Method, _ uri: String, bytes: [UInt8]?, contentType: String,
        as credential: Credential = .service
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let header = credential.header { headers[.authorization] = header }
        if bytes != nil { headers[.contentType] = contentType }
        return try await client.execute(
            uri: uri, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) })
    }

    func createNetwork(_ tenant: String, name: String) async throws -> Components.Schemas.Network {
        let response = try await send(.put, ledger(tenant), body: #"{"name":"\#(name)"}"#)
        try expectStatus(response, .ok)
        return try decode(Components.Schemas.Network.self, response)
    }

    func network(_ tenant: String) async throws -> Components.Schemas.Network {
        let response = try await send(.get, ledger(tenant))
        try expectStatus(response, .ok)
        return try decode(Components.Schemas.Network.self, response)
    }

    func submit(_ tenant: String, tag: String, data: [UInt8], contentType: String = "text/plain") async throws
        -> String
    {
        let response = try await send(
            .post, ledger(tenant) + "/messages", body: submitJSON(tag: tag, data: data, contentType: contentType))
        try expectStatus(response, .created)
        return try decode(Components.Schemas.Submitted.self, response).messageId
    }

    func message(_ tenant: String, _ id: String) async throws -> Components.Schemas.Message {
        let response = try await send(.get, ledger(tenant) + "/messages/\(id)")
        try expectStatus(response, .ok)
        return try decode(Components.Schemas.Message.self, response)
    }

    func page(_ tenant: String, _ query: String) async throws -> Components.Schemas.MessageList {
        let response = try await send(.get, ledger(tenant) + "/messages?" + query)
        try expectStatus(response, .ok)
        return try decode(Components.Schemas.MessageList.self, response)
    }

    func milestones(_ tenant: String, _ query: String = "") async throws -> [Components.Schemas.MilestoneEntry] {
        let response = try await send(.get, ledger(tenant) + "/milestones" + query)
        try expectStatus(response, .ok)
        return try decode(Components.Schemas.MilestoneList.self, response).milestones
    }

    func checkpoint(_ tenant: String) async throws -> String {
        let response = try await send(.get, ledger(tenant) + "/checkpoint")
        try expectStatus(response, .ok)
        #expect(response.headers[.contentType] == "text/plain")
        return String(buffer: response.body)
    }

    func receipt(_ tenant: String, _ id: String) async throws -> String {
        let response = try await send(.get, ledger(tenant) + "/messages/\(id)/receipt")
        try expectStatus(response, .ok)
        #expect(response.headers[.contentType] == "application/vnd.custos.receipt")
        return String(buffer: response.body)
    }

    func receipts(_ tenant: String, _ ids: [String]) async throws -> [ReceiptBatch.Outcome] {
        let response = try await send(
            .post, ledger(tenant) + "/receipts", bytes: ReceiptBatch.encode(ids: try ids.map(Digest32.init(hex:))),
            contentType: "application/vnd.custos.message-ids")
        try expectStatus(response, .ok)
        #expect(response.headers[.contentType] == "application/vnd.custos.receipts")
        return try ReceiptBatch.decodeOutcomes(Array(buffer: response.body), count: ids.count)
    }

    func tile(_ tenant: String, _ path: String) async throws -> [UInt8] {
        let response = try await send(.get, ledger(tenant) + "/tiles?path=" + path)
        try expectStatus(response, .ok)
        #expect(response.headers[.contentType] == "application/octet-stream")
        return Array(response.body.readableBytesView)
    }

    /// Polls the network until a milestone has confirmed at least `size` entries.
    func waitForCheckpoint(_ tenant: String, size: Int) async throws -> Components.Schemas.Network {
        let deadline = ContinuousClock.now + .seconds(10)
        while true {
            let network = try await network(tenant)
            if network.checkpointSize >= size { return network }
            guard ContinuousClock.now < deadline else {
                throw RouteTestError(
                    "\(tenant): no checkpoint of size \(size) within 10 s (at \(network.checkpointSize))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Runs `body` against the real router of a worker over the shared database, whose sequencer registry runs as a
/// service for the duration and is shut down gracefully afterwards, as the worker's service group does.
private func withWorker<T: Sendable>(
    milestoneInterval: Duration = .milliseconds(50), _ body: @Sendable (Worker) async throws -> T
) async throws -> T {
    guard let store = SharedLedgerDatabase.store, let configuration = SharedLedgerDatabase.configuration else {
        throw RouteTestError("no shared database: the suite needs the SharedLedgerDatabase trait")
    }
    let lease = SequencerLease(
        configuration: configuration.connectionConfiguration, database: store.database,
        advertiseURL: "http://127.0.0.1:1", logger: logger)
    let registry = SequencerRegistry(store: store, lease: lease, milestoneInterval: milestoneInterval)
    let group = ServiceGroup(services: [registry], logger: logger)
    let running = Task { try await group.run() }
    let server = ProcessServer(role: "worker ledger", port: 0, token: serviceToken, logger: logger)
    let forwarder = SequencerForwarder(
        client: .shared, advertiseURL: "http://127.0.0.1:1", bodyLimit: 1 << 20, timeout: .seconds(5))
    let router = LedgerWorker.makeRouter(
        server: server, store: store, ledgers: registry, forwarder: forwarder, originPrefix: originPrefix)
    let routes = router.routes.map { "\($0.method.rawValue) \($0.path)" }
    let outcome: Result<T, any Error>
    do {
        outcome = .success(
            try await server.makeApplication(router: router).test(.router) {
                try await body(Worker(client: $0, routes: routes))
            })
    } catch {
        outcome = .failure(error)
    }
    await group.triggerGracefulShutdown()
    try await running.value
    return try outcome.get()
}

private func ledger(_ tenant: String) -> String { "/internal/v1/tenants/\(tenant)/ledger" }

private func submitJSON(tag: String, data: [UInt8], contentType: String = "text/plain") -> String {
    #"{"tag":"\#(Base64.encode(Array(tag.utf8)))","data":"\#(Base64.encode(data))","contentType":"\#(contentType)"}"#
}

private func expectStatus(
    _ response: TestResponse, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    guard response.status == status else {
        Issue.record(
            "expected \(status), got \(response.status): \(String(buffer: response.body))",
            sourceLocation: sourceLocation)
        throw RouteTestError("unexpected status \(response.status)")
    }
}

private func decode<T: Decodable>(
    _ type: T.Type, _ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation
) throws -> T {
    #expect(
        response.headers[.contentType]?.hasPrefix("application/json") == true, "a JSON body",
        sourceLocation: sourceLocation)
    return try JSONDecoder().decode(T.self, from: Data(response.body.readableBytesView))
}

/// Checks an error answer: the status and a JSON object holding exactly a non-empty `error` string, which contains
/// `fragment` if given.
private func expectError(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ fragment: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let text = String(buffer: response.body)
    #expect(response.status == status, "\(text)", sourceLocation: sourceLocation)
    #expect(
        response.headers[.contentType]?.hasPrefix("application/json") == true, "error content type",
        sourceLocation: sourceLocation)
    let object = try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
    let message = object?["error"] as? String
    #expect(
        object?.count == 1 && message?.isEmpty == false, "not an error body: \(text)", sourceLocation: sourceLocation)
    if let fragment {
        #expect(message?.contains(fragment) == true, "\(message ?? text)", sourceLocation: sourceLocation)
    }
}

private func hashes(_ texts: [String]) throws -> [Digest32] {
    try texts.map { try Digest32(bytes: Base64.decode($0)) }
}

/// The checkpoint in a signed note, after checking the note's signature under `key`.
private func verifiedCheckpoint(_ note: String, key: NoteVerifierKey) throws -> Checkpoint {
    let signed = try SignedNote(parsing: note)
    try signed.verify(using: key)
    return try Checkpoint(text: signed.text)
}

private let randomID = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255) })

// One test at a time: each runs a worker of its own on the shared database, and two at once would be two ledger
// workers sharing the tenants, the second forwarding to the first's address, which no server listens on here.
@Suite("Ledger worker routes", SharedLedgerDatabase(), .serialized)
struct LedgerWorkerRouteTests {
    @Test("every route answers 401 without the service token or with a wrong one, and does nothing")
    func serviceToken() async throws {
        // A worker that issues no milestone during the test, so every route's answer with the token is known.
        try await withWorker(milestoneInterval: .seconds(3600)) { worker in
            let tenant = "route-auth"
            let base = ledger(tenant)
            expectError(
                try await worker.send(.put, base, body: #"{"name":"auth"}"#, as: .wrongToken), .unauthorized,
                "service token")
            expectError(try await worker.send(.get, base), .notFound)  // nothing was created
            _ = try await worker.createNetwork(tenant, name: "auth")
            let id = try await worker.submit(tenant, tag: "allowed", data: Array("first".utf8))

            typealias Body = (bytes: [UInt8], type: String)
            func json(_ text: String) -> Body { (Array(text.utf8), "application/json") }
            func operations(tag: String) -> [(HTTPRequest.Method, String, Body?, HTTPResponse.Status)] {
                let entry = submitJSON(tag: tag, data: Array("entry".utf8))
                let binary = try! LedgerEntry(
                    payload: TaggedData(tag: Array(tag.utf8), data: Array("entry".utf8)), contentType: "text/plain")
                return [
                    (.put, base, json(#"{"name":"auth"}"#), .ok),
                    (.get, base, nil, .ok),
                    (.post, base + "/messages", json(entry), .created),
                    (
                        .post, base + "/messages/batch",
                        (EntryBatch.encode([binary, binary]), "application/vnd.custos.entries"), .created
                    ),
                    (.get, base + "/messages?tag=\(tag)", nil, .ok),
                    (.get, base + "/messages/\(id)", nil, .ok),
                    (.get, base + "/messages/\(id)/receipt", nil, .conflict),
                    (
                        .post, base + "/receipts",
                        (try! ReceiptBatch.encode(ids: [Digest32(hex: id)]), "application/vnd.custos.message-ids"), .ok
                    ),
                    (.get, base + "/checkpoint", nil, .notFound),
                    (.get, base + "/consistency?from=1&to=1", nil, .badRequest),
                    (.get, base + "/tiles?path=tile/0/000.p/1", nil, .notFound),
                    (.get, base + "/milestones", nil, .ok),
                    (.get, base + "/milestones/latest", nil, .notFound),
                    (.post, base + "/coordinator/rotate", nil, .accepted),
                    // Last: it erases the tenant's entries.
                    (.delete, base, nil, .ok),
                ]
            }
            // The table is every route of the worker but the public health and metrics routes.
            let covered = operations(tag: "any").map { method, uri, _, _ in
                let path = uri.split(separator: "?")[0].replacing(tenant, with: "{tenant}")
                return "\(method.rawValue) " + path.replacing(id, with: "{messageId}")
            }
            #expect(
                covered.sorted()
                    == worker.routes.filter { !$0.contains(" /health/") && !$0.hasSuffix(" /metrics") }.sorted())
            for (method, uri, body, _) in operations(tag: "denied") {
                for credential in Credential.allCases where credential != .service {
                    let response = try await worker.send(
                        method, uri, bytes: body?.bytes, contentType: body?.type ?? "", as: credential)
                    #expect(response.status == .unauthorized, "\(method) \(uri) as \(credential)")
                    expectError(response, .unauthorized, "service token")
                }
            }
            // The same requests with the token reach their handlers; the erasure last, once the entries are counted.
            let allowed = operations(tag: "allowed")
            for (method, uri, body, status) in allowed.dropLast() {
                let response = try await worker.send(method, uri, bytes: body?.bytes, contentType: body?.type ?? "")
                #expect(response.status == status, "\(method) \(uri): \(String(buffer: response.body))")
            }
            #expect(try await worker.page(tenant, "tag=denied").messages.isEmpty, "no refused submission committed")
            #expect(try await worker.page(tenant, "tag=allowed").messages.count == 4)
            let (method, uri, _, status) = try #require(allowed.last)
            let erased = try await worker.send(method, uri, bytes: nil, contentType: "")
            #expect(erased.status == status, "\(String(buffer: erased.body))")
            #expect(String(buffer: erased.body).contains("\"entries\""))
        }
    }

    @Test("createNetwork creates once, answers the same network again, and refuses bad input")
    func createNetwork() async throws {
        try await withWorker { worker in
            let tenant = "route-create"
            let created = try await worker.createNetwork(tenant, name: "acme")
            #expect(created.name == "acme")
            #expect(created.networkId == String(LedgerMessage.networkID(forName: "acme")))
            #expect(created.origin == "\(originPrefix)/\(tenant)")
            #expect(try NoteVerifierKey(parsing: created.coordinatorKey).name == created.origin)
            #expect(created.checkpointSize == 0)

            // Idempotent: the same network and coordinator key, not a new one.
            #expect(try await worker.createNetwork(tenant, name: "acme") == created)
            #expect(try await worker.network(tenant) == created)
            expectError(
                try await worker.send(.put, ledger(tenant), body: #"{"name":"other"}"#), .conflict, "acme")
            #expect(try await worker.network(tenant) == created)
            // Names are unique across tenants (they derive the network id).
            expectError(
                try await worker.send(.put, ledger("route-create-twin"), body: #"{"name":"acme"}"#), .conflict,
                "already taken")
            expectError(try await worker.send(.get, ledger("route-create-twin")), .notFound)

            // Sixteen characters is the longest name.
            let longest = String(repeating: "z9", count: 8)
            #expect(try await worker.createNetwork("route-create-16", name: longest).name == longest)

            let fresh = "route-create-bad"
            for name in ["Acme", "", String(repeating: "a", count: 17), "ac-me", "caf\u{e9}"] {
                expectError(
                    try await worker.send(.put, ledger(fresh), body: #"{"name":"\#(name)"}"#), .badRequest,
                    "network name")
            }
            expectError(
                try await worker.send(.put, ledger(fresh), body: #"{"name":"acme","color":"blue"}"#), .badRequest)
            expectError(try await worker.send(.put, ledger(fresh), body: "{}"), .badRequest)
            expectError(try await worker.send(.put, ledger(fresh), body: #"{"name":"#), .badRequest)
            expectError(
                try await worker.send(.put, ledger(fresh), body: #"{"name":"acme"}"#, contentType: "text/plain"),
                .unsupportedMediaType)
            expectError(try await worker.send(.put, ledger("Not_A_Tenant"), body: #"{"name":"acme"}"#), .badRequest)
            // None of the refused requests created anything.
            expectError(try await worker.send(.get, ledger(fresh)), .notFound, fresh)
        }
    }

    @Test("submitMessage commits one entry that getMessage returns byte for byte, and refuses bad input")
    func submitMessage() async throws {
        try await withWorker { worker in
            let tenant = "route-submit"
            let network = try await worker.createNetwork(tenant, name: "submit")
            let data: [UInt8] = [0, 255, 1, 128, 10]
            let started = Date()
            let response = try await worker.send(
                .post, ledger(tenant) + "/messages",
                body: submitJSON(tag: "greeting", data: data, contentType: "application/octet-stream"))
            try expectStatus(response, .created)
            let id = try decode(Components.Schemas.Submitted.self, response).messageId
            #expect(try Digest32(hex: id).hex == id, "64 lowercase hex characters")

            let message = try await worker.message(tenant, id)
            let raw = try Base64.decode(message.raw)
            let parsed = try LedgerMessage(bytes: raw)
            #expect(message.messageId == id)
            #expect(LedgerMessage.id(of: raw).hex == id, "the id is the hash of the raw bytes")
            #expect(message.networkId == network.networkId)
            #expect(parsed.networkID == LedgerMessage.networkID(forName: "submit"))
            #expect(parsed.payload.taggedData?.tag == Array("greeting".utf8))
            #expect(parsed.payload.taggedData?.data == data)
            #expect(try Base64.decode(message.tag) == Array("greeting".utf8))
            #expect(try Base64.decode(message.data) == data)
            #expect(message.contentType == "application/octet-stream")
            #expect(!message.parents.isEmpty && message.parents == parsed.parents.map(\.hex))
            #expect(message.receivedAt.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
            let receivedAt = try #require(Timestamp.parse(message.receivedAt))
            #expect(receivedAt >= started.addingTimeInterval(-1) && receivedAt <= Date().addingTimeInterval(1))
            #expect(Int64(message.sequence) != nil)

            let messages = ledger(tenant) + "/messages"
            let tag = Base64.encode(Array("greeting".utf8))
            expectError(
                try await worker.send(.post, messages, body: #"{"tag":"!!","data":"AA==","contentType":"text/plain"}"#),
                .badRequest, "tag must be base64")
            expectError(
                try await worker.send(.post, messages, body: #"{"tag":"\#(tag)","data":"%%%","contentType":"a/b"}"#),
                .badRequest, "data must be base64")
            expectError(try await worker.send(.post, messages, body: #"{"tag":"\#(tag)","data":"AA=="}"#), .badRequest)
            expectError(
                try await worker.send(.post, messages, body: #"{"tag":"\#(tag)","contentType":"text/plain"}"#),
                .badRequest)
            expectError(
                try await worker.send(
                    .post, messages, body: #"{"tag":"\#(tag)","data":"AA==","contentType":"a/b","extra":true}"#),
                .badRequest)
            expectError(
                try await worker.send(
                    .post, messages, body: submitJSON(tag: "greeting", data: []), contentType: "text/plain"),
                .unsupportedMediaType)
            expectError(
                try await worker.send(
                    .post, ledger("route-submit-none") + "/messages", body: submitJSON(tag: "greeting", data: [1])),
                .notFound)
            expectError(
                try await worker.send(
                    .post, messages, body: submitJSON(tag: String(repeating: "t", count: 65), data: [1])),
                .badRequest, "at most 64")
            expectError(
                try await worker.send(
                    .post, messages, body: submitJSON(tag: "greeting", data: Array(repeating: 1, count: 40_000))),
                .contentTooLarge)
            // Only the accepted entry was committed.
            #expect(try await worker.page(tenant, "tag=greeting").messages.map(\.messageId) == [id])
        }
    }

    @Test("submitBatch commits 1 to 1000 binary entries in request order, all or nothing")
    func submitBatch() async throws {
        try await withWorker { worker in
            let tenant = "route-batch"
            _ = try await worker.createNetwork(tenant, name: "batch")
            let uri = ledger(tenant) + "/messages/batch"
            func entry(_ tag: String, _ data: [UInt8]) -> LedgerEntry {
                try! LedgerEntry(payload: TaggedData(tag: Array(tag.utf8), data: data), contentType: "text/plain")
            }
            func post(_ bytes: [UInt8], type: String = "application/vnd.custos.entries") async throws -> TestResponse {
                try await worker.send(.post, uri, bytes: bytes, contentType: type)
            }
            let texts = ["first", "second", "third"]
            let response = try await post(EntryBatch.encode(texts.map { entry("batch", Array($0.utf8)) }))
            try expectStatus(response, .created)
            #expect(response.headers[.contentType] == "application/vnd.custos.message-ids")
            let ids = try EntryBatch.decodeIDs(Array(buffer: response.body), count: 3).map(\.hex)
            #expect(Set(ids).count == 3)
            var sequences: [Int64] = []
            for (id, text) in zip(ids, texts) {
                let message = try await worker.message(tenant, id)
                #expect(try Base64.decode(message.data) == Array(text.utf8), "ids are in request order")
                #expect(message.contentType == "text/plain")
                sequences.append(try #require(Int64(message.sequence)))
            }
            #expect(sequences == sequences.sorted() && Set(sequences).count == 3)
            #expect(try await worker.page(tenant, "tag=batch").messages.map(\.messageId) == ids)

            // Malformed batches change nothing, each with its own message.
            let one = EntryBatch.encode([entry("batch", [7])])
            expectError(try await post([0, 0, 0, 0]), .badRequest, "1 to 1000")
            expectError(try await post([0xE9, 0x03, 0, 0] + one.dropFirst(4)), .badRequest, "1 to 1000")  // 1001
            expectError(try await post(Array(one.dropLast())), .badRequest, "truncated")
            expectError(try await post(one + [0]), .badRequest, "after the last entry")
            let type = Array("text/plain".utf8)
            let longTag: [UInt8] =
                [1, 0, 0, 0, UInt8(type.count)] + type + [65] + Array(repeating: 0x74, count: 65) + [1, 0, 0, 0, 7]
            expectError(try await post(longTag), .badRequest, "at most 64")
            let twoCounted = EntryBatch.encode([entry("batch", [7]), entry("batch", [8])]).dropLast(one.count - 4)
            expectError(try await post(Array(twoCounted)), .badRequest, "truncated")
            expectError(try await post(one, type: "application/json"), .unsupportedMediaType)
            #expect(
                try await worker.page(tenant, "tag=batch").messages.map(\.messageId) == ids, "nothing else committed")

            // A full batch of 1000 is accepted.
            let full = EntryBatch.encode(Array(repeating: entry("full", [1]), count: 1000))
            let accepted = try await post(full)
            try expectStatus(accepted, .created)
            #expect(accepted.body.readableBytes == 32 * 1000)
        }
    }

    @Test("listMessages pages through a tag's entries with next and after, and refuses bad bounds")
    func listMessages() async throws {
        try await withWorker { worker in
            let tenant = "route-list"
            _ = try await worker.createNetwork(tenant, name: "list")
            var ids: [String] = []
            for index in 0..<5 {
                ids.append(try await worker.submit(tenant, tag: "page", data: Array("entry \(index)".utf8)))
                if index == 1 { _ = try await worker.submit(tenant, tag: "other", data: [1]) }
            }
            // Milestones (the interval is short) are no entries and are never listed.
            _ = try await worker.waitForCheckpoint(tenant, size: 6)

            var collected: [String] = []
            var after: String?
            var pages: [Int] = []
            repeat {
                let page = try await worker.page(tenant, "tag=page&limit=2" + (after.map { "&after=\($0)" } ?? ""))
                #expect(page.messages.allSatisfy { (try? Base64.decode($0.tag)) == Array("page".utf8) })
                if let next = page.next { #expect(next == page.messages.last?.sequence) }
                collected += page.messages.map(\.messageId)
                pages.append(page.messages.count)
                after = page.next
            } while after != nil && pages.count < 10
            #expect(collected == ids)
            #expect(pages == [2, 2, 1])

            let all = try await worker.page(tenant, "tag=page")
            #expect(all.messages.map(\.messageId) == ids && all.next == nil)
            let last = try #require(all.messages.last?.sequence)
            let rest = try await worker.page(tenant, "tag=page&after=\(last)")
            #expect(rest.messages.isEmpty && rest.next == nil)
            #expect(try await worker.page(tenant, "tag=other").messages.count == 1)
            #expect(try await worker.page(tenant, "tag=nothing").messages.isEmpty)
            #expect(
                try await worker.page(tenant, "tag=").messages.isEmpty,
                "milestones (whose tag is empty) are not entries")
            #expect(try await worker.page(tenant, "tag=page&limit=1000").messages.count == 5)

            let messages = ledger(tenant) + "/messages"
            expectError(try await worker.send(.get, messages + "?tag=page&limit=0"), .badRequest, "limit")
            expectError(try await worker.send(.get, messages + "?tag=page&limit=1001"), .badRequest, "limit")
            expectError(try await worker.send(.get, messages + "?tag=page&after=-1"), .badRequest, "after")
            expectError(try await worker.send(.get, messages + "?tag=page&limit=many"), .badRequest)
            expectError(try await worker.send(.get, messages), .badRequest)
        }
    }

    @Test("getMessage finds entries of its own tenant only, and tells milestones and malformed ids apart")
    func getMessage() async throws {
        try await withWorker { worker in
            let tenant = "route-get"
            _ = try await worker.createNetwork(tenant, name: "get")
            _ = try await worker.createNetwork("route-get-other", name: "getother")
            let id = try await worker.submit(tenant, tag: "get", data: Array("hello".utf8))
            #expect(try await worker.message(tenant, id).messageId == id)

            let messages = ledger(tenant) + "/messages/"
            expectError(try await worker.send(.get, messages + randomID), .notFound, randomID)
            expectError(try await worker.send(.get, ledger("route-get-other") + "/messages/\(id)"), .notFound, id)
            for malformed in ["xyz", String(repeating: "a", count: 63), String(repeating: "g", count: 64)] {
                expectError(try await worker.send(.get, messages + malformed), .badRequest, "64 hexadecimal")
            }

            _ = try await worker.waitForCheckpoint(tenant, size: 1)
            let milestone = try #require(try await worker.milestones(tenant).first)
            expectError(try await worker.send(.get, messages + milestone.messageId), .notFound, "is a milestone")
        }
    }

    @Test("receipts, checkpoints, tiles and milestones before and after a milestone")
    func proofs() async throws {
        let tenant = "route-proof"
        let base = ledger(tenant)
        // No milestone while this worker runs; its graceful shutdown issues one over what it committed.
        let first = try await withWorker(milestoneInterval: .seconds(3600)) { worker in
            _ = try await worker.createNetwork(tenant, name: "proof")
            var ids: [String] = []
            for index in 0..<3 { ids.append(try await worker.submit(tenant, tag: "proof", data: [UInt8(index)])) }
            expectError(try await worker.send(.get, base + "/messages/\(ids[0])/receipt"), .conflict, "not confirmed")
            expectError(try await worker.send(.get, base + "/checkpoint"), .notFound, "no checkpoint")
            expectError(try await worker.send(.get, base + "/milestones/latest"), .notFound, "no milestone")
            #expect(try await worker.milestones(tenant).isEmpty)
            expectError(try await worker.send(.get, base + "/tiles?path=tile/0/000.p/1"), .notFound)
            expectError(try await worker.send(.get, base + "/tiles?path=tile/entries/000.p/1"), .notFound)
            expectError(try await worker.send(.get, base + "/consistency?from=1&to=1"), .badRequest)
            #expect(try await worker.network(tenant).checkpointSize == 0)
            return ids
        }

        try await withWorker { worker in
            let network = try await worker.waitForCheckpoint(tenant, size: 3)
            #expect(network.checkpointSize == 3)
            let key = try NoteVerifierKey(parsing: network.coordinatorKey)

            // The checkpoint: signed by the coordinator, of this tenant's log, over the three entries.
            let note = try await worker.checkpoint(tenant)
            let checkpoint = try verifiedCheckpoint(note, key: key)
            #expect(checkpoint.origin == network.origin && checkpoint.size == 3)

            // Receipts: the canonical bytes, which the offline verifier accepts under the network's key.
            var leafOrder: [UInt64: Digest32] = [:]
            for id in first {
                let text = try await worker.receipt(tenant, id)
                let receipt = try Receipt(jsonText: text)
                #expect(receipt.canonicalJSON == text, "the receipt travels as its canonical JSON")
                let report = try ReceiptVerifier.verify(receipt, trustedKey: key, expectedOrigin: network.origin)
                #expect(report.messageID.hex == id && report.keyTrust == .trusted)
                #expect(receipt.tenant == tenant && receipt.networkName == "proof" && receipt.checkpoint == note)
                leafOrder[receipt.leafIndex] = report.messageID
            }
            #expect(leafOrder.keys.sorted() == [0, 1, 2])

            // A receipt batch answers each id as the single route does, in request order, duplicates included.
            let milestone = try #require(try await worker.milestones(tenant).first)
            var asked = first + [randomID, first[0], milestone.messageId]
            let outcomes = try await worker.receipts(tenant, asked)
            #expect(outcomes.count == asked.count)
            for (id, outcome) in zip(first + [first[0]], Array(outcomes[0..<3]) + [outcomes[4]]) {
                #expect(outcome == .receipt(Array(try await worker.receipt(tenant, id).utf8)))
            }
            guard case .refused(404, let unknown) = outcomes[3], case .refused(400, let ofMilestone) = outcomes[5]
            else {
                Issue.record("expected 404 and 400, got \(outcomes[3]) and \(outcomes[5])")
                return
            }
            #expect(unknown == "no message \(randomID) in this ledger" && ofMilestone.contains("milestone"))
            asked = [first[1]]
            #expect(try await worker.receipts(tenant, asked) == [outcomes[1]])
            let batch = base + "/receipts"
            let type = "application/vnd.custos.message-ids"
            let one = try ReceiptBatch.encode(ids: [Digest32(hex: first[0])])
            expectError(try await worker.send(.post, batch, bytes: [], contentType: type), .badRequest, "request body")
            expectError(
                try await worker.send(.post, batch, bytes: one.dropLast(), contentType: type), .badRequest, "32-byte")
            expectError(
                try await worker.send(
                    .post, batch, bytes: Array([[UInt8]](repeating: one, count: 65).joined()), contentType: type),
                .contentTooLarge, "at most 2048 bytes")
            expectError(
                try await worker.send(.post, batch, bytes: one, contentType: "application/json"), .unsupportedMediaType)
            let leaves = try (0..<3).map { try #require(leafOrder[UInt64($0)]) }
            let messages = base + "/messages/"
            expectError(try await worker.send(.get, messages + randomID + "/receipt"), .notFound, randomID)
            expectError(try await worker.send(.get, messages + "abc/receipt"), .badRequest, "64 hexadecimal")
            expectError(
                try await worker.send(.get, messages + milestone.messageId + "/receipt"), .badRequest, "milestone")

            // Tiles: the level-0 hash tile holds the leaf hashes whose tree is the checkpoint's; the entry bundle the
            // entries themselves.
            let leafHashes = leaves.map { MerkleHash.leafHash(messageID: $0) }
            let tile = try await worker.tile(tenant, "tile/0/000.p/3")
            #expect(tile == leafHashes.flatMap(\.bytes))
            #expect(MerkleLog(leafHashes: leafHashes).root == checkpoint.root)
            #expect(try await worker.tile(tenant, "tile/0/000.p/2") == Array(tile.prefix(64)))
            let bundle = try await worker.tile(tenant, "tile/entries/000.p/3")
            #expect(try EntryBundle.decode(bundle) == leaves.map(\.bytes))
            try EntryBundle.verify(bundle, against: tile)
            for path in [
                "tile/x/000", "tiles/0/000", "tile/0/0", "tile/0/000.p/0", "tile/0/000.p/256", "tile/entries/x",
            ] {
                expectError(try await worker.send(.get, base + "/tiles?path=" + path), .badRequest, "not a tile path")
            }
            for path in [
                "tile/0/001", "tile/0/000", "tile/0/000.p/4", "tile/1/000.p/1", "tile/entries/000.p/4",
                "tile/entries/000", "tile/entries/001",
            ] {
                expectError(try await worker.send(.get, base + "/tiles?path=" + path), .notFound, path)
            }
            expectError(try await worker.send(.get, base + "/tiles"), .badRequest)

            // Consistency between the first checkpoint and a later one.
            for index in 3..<5 { _ = try await worker.submit(tenant, tag: "proof", data: [UInt8(index)]) }
            _ = try await worker.waitForCheckpoint(tenant, size: 5)
            let later = try verifiedCheckpoint(try await worker.checkpoint(tenant), key: key)
            #expect(later.size == 5)
            let response = try await worker.send(.get, base + "/consistency?from=3&to=5")
            try expectStatus(response, .ok)
            let proof = try decode(Components.Schemas.ConsistencyProof.self, response)
            #expect(proof.from == 3 && proof.to == 5 && !proof.proof.isEmpty)
            try MerkleVerifier.verifyConsistency(
                size1: 3, size2: 5, proof: try hashes(proof.proof), root1: checkpoint.root, root2: later.root)
            let same = try await worker.send(.get, base + "/consistency?from=5&to=5")
            try expectStatus(same, .ok)
            #expect(try decode(Components.Schemas.ConsistencyProof.self, same).proof.isEmpty)
            for query in ["from=5&to=3", "from=0&to=3", "from=1&to=6", "from=x&to=3", "from=1"] {
                expectError(try await worker.send(.get, base + "/consistency?" + query), .badRequest)
            }

            // Milestones: signed by the coordinator, numbered from 1, the newest over the whole log.
            let milestones = try await worker.milestones(tenant)
            try #require(milestones.count >= 2)
            #expect(milestones.map(\.index) == Array(1...milestones.count))
            for entry in milestones {
                let raw = try Base64.decode(entry.message)
                #expect(LedgerMessage.id(of: raw).hex == entry.messageId)
                let message = try LedgerMessage(bytes: raw)
                let milestone = try #require(message.payload.milestone)
                #expect(Int(milestone.essence.index) == entry.index)
                try milestone.verifySignature(networkID: message.networkID, key: key.publicKey)
            }
            let latestResponse = try await worker.send(.get, base + "/milestones/latest")
            try expectStatus(latestResponse, .ok)
            let latest = try decode(Components.Schemas.MilestoneEntry.self, latestResponse)
            #expect(latest == milestones.last)
            let latestMessage = try LedgerMessage(bytes: try Base64.decode(latest.message))
            #expect(latestMessage.payload.milestone?.essence.logSize == 5)
            #expect(try await worker.milestones(tenant, "?after=1").map(\.index) == Array(2...milestones.count))
            #expect(try await worker.milestones(tenant, "?limit=1") == [milestones[0]])
            #expect(try await worker.milestones(tenant, "?after=\(milestones.count)").isEmpty)
            for query in ["?limit=0", "?limit=1001", "?after=-1"] {
                expectError(try await worker.send(.get, base + "/milestones" + query), .badRequest, "query parameter")
            }
            #expect(try await worker.network(tenant).checkpointSize == 5)
        }
    }

    @Test("rotateCoordinatorKey schedules a key that the next milestone announces and the one after signs with")
    func rotateCoordinatorKey() async throws {
        try await withWorker { worker in
            let tenant = "route-rotate"
            let created = try await worker.createNetwork(tenant, name: "rotate")
            let oldKey = try NoteVerifierKey(parsing: created.coordinatorKey)
            _ = try await worker.submit(tenant, tag: "rotate", data: [0])
            _ = try await worker.waitForCheckpoint(tenant, size: 1)

            let uri = ledger(tenant) + "/coordinator/rotate"
            let response = try await worker.send(.post, uri)
            try expectStatus(response, .accepted)
            #expect(try decode(Components.Schemas.Rotation.self, response).keyIndex == 1)
            // Until a milestone announces it, asking again schedules the same key.
            let again = try await worker.send(.post, uri)
            try expectStatus(again, .accepted)
            #expect(try decode(Components.Schemas.Rotation.self, again).keyIndex == 1)
            expectError(try await worker.send(.post, ledger("route-rotate-none") + "/coordinator/rotate"), .notFound)
            #expect(try await worker.network(tenant).coordinatorKey == created.coordinatorKey)

            // The announcing milestone is signed by the old key and names the new one, which takes over.
            let announced = try await worker.submit(tenant, tag: "rotate", data: [1])
            let network = try await worker.waitForCheckpoint(tenant, size: 2)
            let newKey = try NoteVerifierKey(parsing: network.coordinatorKey)
            #expect(newKey.publicKey != oldKey.publicKey && newKey.name == oldKey.name)
            _ = try verifiedCheckpoint(try await worker.checkpoint(tenant), key: oldKey)
            let announcing = try #require(try await worker.milestones(tenant).last)
            let milestone = try #require(try LedgerMessage(bytes: Base64.decode(announcing.message)).payload.milestone)
            #expect(milestone.essence.nextCoordinatorKey == newKey.publicKey)
            let receipt = try Receipt(jsonText: try await worker.receipt(tenant, announced))
            _ = try ReceiptVerifier.verify(receipt, trustedKey: oldKey)

            // The next checkpoint and receipts verify under the network's new key only.
            let later = try await worker.submit(tenant, tag: "rotate", data: [2])
            _ = try await worker.waitForCheckpoint(tenant, size: 3)
            _ = try verifiedCheckpoint(try await worker.checkpoint(tenant), key: newKey)
            let newer = try Receipt(jsonText: try await worker.receipt(tenant, later))
            _ = try ReceiptVerifier.verify(newer, trustedKey: newKey, expectedOrigin: network.origin)
            #expect(throws: ReceiptError.self) { _ = try ReceiptVerifier.verify(newer, trustedKey: oldKey) }
        }
    }
}
