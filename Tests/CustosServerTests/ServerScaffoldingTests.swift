import CustosAuth
import CustosClients
import CustosCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import CustosServer

private struct Boom: Error {}

private func makeApplication() throws -> some ApplicationProtocol {
    let token = try ServiceToken(secret: String(repeating: "s", count: 40))
    let server = ProcessServer(
        role: "test", port: 0, token: token, readiness: Readiness { "warming up" }, logger: Logger(label: "test"))
    let router = server.makeRouter()
    server.serviceTokenRoutes(router).get("/internal/v1/ping") { _, context -> String in
        try context.requireCaller() == .service ? "pong" : "wrong caller"
    }
    router.get("/fail/:kind") { _, context -> String in
        switch try context.parameters.require("kind") {
        case "conflict": throw RequestError(.conflict, "already there")
        case "rate": throw RequestError(.rateLimited, "slow down")
        case "internal": throw RequestError(.internalFailure, "db exploded")
        case "unavailable": throw RequestError(.unavailable, "database is away")
        default: throw Boom()
        }
    }
    router.post("/echo") { request, _ -> String in
        var request = request
        return try await request.strictJSONBody(limit: 64).canonicalString()
    }
    router.group("/strict").add(middleware: StrictJSONBodyMiddleware(limit: 1024)).post { request, _ -> Response in
        // The middleware hands on the very bytes it checked.
        let bytes = try await request.body.collect(upTo: 1024)
        return Response(status: .ok, body: .init(byteBuffer: bytes))
    }
    return server.makeApplication(router: router)
}

private func errorMessage(_ buffer: ByteBuffer) -> String? {
    (try? JSONCoding.decoder.decode(ErrorBody.self, from: Data(buffer.readableBytesView)))?.error
}

@Suite("Server scaffolding")
struct ServerScaffoldingTests {
    @Test("internal routes need the service token; health does not")
    func serviceToken() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/internal/v1/ping", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(errorMessage(response.body)?.contains("service token") == true)
            }
            try await client.execute(
                uri: "/internal/v1/ping", method: .get,
                headers: [.authorization: "Bearer " + String(repeating: "x", count: 40)]
            ) { response in #expect(response.status == .unauthorized) }
            try await client.execute(
                uri: "/internal/v1/ping", method: .get,
                headers: [.authorization: "Bearer " + String(repeating: "s", count: 40)]
            ) { response in #expect(response.status == .ok) }
            try await client.execute(uri: "/health/live", method: .get) { response in #expect(response.status == .ok) }
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(errorMessage(response.body) == "not ready: warming up")
                #expect(response.headers[.retryAfter] != nil)
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            }
        }
    }

    @Test("errors become JSON with the mapped status, and unknown errors leak nothing")
    func errorMapping() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/fail/conflict", method: .get) { response in
                #expect(response.status == .conflict)
                #expect(errorMessage(response.body) == "already there")
            }
            try await client.execute(uri: "/fail/rate", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter] == "1")
            }
            try await client.execute(uri: "/fail/unavailable", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] != nil)
            }
            try await client.execute(uri: "/fail/other", method: .get) { response in
                #expect(response.status == .internalServerError)
                #expect(errorMessage(response.body) == "internal error")
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(errorMessage(response.body)?.contains("/nowhere") == true)
            }
        }
    }

    @Test("strict JSON bodies: duplicates, garbage, empty and oversize are client errors")
    func strictBodies() async throws {
        try await makeApplication().test(.router) { client in
            let cases: [(String, HTTPResponse.Status, String)] = [
                (#"{"b":1,"a":[true,null]}"#, .ok, #"{"a":[true,null],"b":1}"#),
                (#"{"a":1,"a":2}"#, .badRequest, "duplicate key"),
                (#"{"a":1} x"#, .badRequest, "not valid JSON"),
                ("", .badRequest, "empty"),
                (String(repeating: " ", count: 65) + "1", .contentTooLarge, "too large"),
            ]
            for (body, status, fragment) in cases {
                try await client.execute(
                    uri: "/echo", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == status, "body \(body.prefix(20))")
                    let text = status == .ok ? String(buffer: response.body) : errorMessage(response.body) ?? ""
                    #expect(text.contains(fragment), "\(text) should contain \(fragment)")
                }
            }
        }
    }

    @Test("JSON routes answer 415 to bodies of other media types, and accept json with parameters or +json")
    func contentTypes() async throws {
        try await makeApplication().test(.router) { client in
            let cases: [(String?, HTTPResponse.Status)] = [
                (nil, .unsupportedMediaType), ("text/plain", .unsupportedMediaType),
                ("application/x-www-form-urlencoded", .unsupportedMediaType),
                ("multipart/form-data; boundary=x", .unsupportedMediaType),
                ("application/jsonx", .unsupportedMediaType),
                ("application/json", .ok), ("Application/JSON; charset=utf-8", .ok), ("application/ld+json", .ok),
            ]
            for (type, status) in cases {
                var headers = HTTPFields()
                if let type { headers[.contentType] = type }
                try await client.execute(uri: "/echo", method: .post, headers: headers, body: ByteBuffer(string: "1")) {
                    response in
                    #expect(response.status == status, "\(type ?? "no type")")
                    if status != .ok { #expect(errorMessage(response.body)?.contains("application/json") == true) }
                }
            }
        }
    }

    @Test("strict body middleware: nulls anywhere, media type and malformed JSON refused; checked bytes passed on")
    func strictBodyMiddleware() async throws {
        try await makeApplication().test(.router) { client in
            let cases: [(String?, String, HTTPResponse.Status, String)] = [
                ("application/json", #"{"name":"k","tags":[1,{"a":2}]}"#, .ok, #"{"name":"k","tags":[1,{"a":2}]}"#),
                ("application/json", #"{"name":null}"#, .badRequest, "name must not be null"),
                ("application/json", #"{"a":{"b":[1,null]}}"#, .badRequest, "a.b[1] must not be null"),
                ("application/json", #"{"a":1,"a":2}"#, .badRequest, "duplicate key"),
                ("application/json", #"{"n":9007199254740993}"#, .badRequest, "as a string"),
                ("text/plain", #"{"name":"k"}"#, .unsupportedMediaType, "application/json"),
                (nil, #"{"name":"k"}"#, .unsupportedMediaType, "application/json"),
            ]
            for (type, body, status, fragment) in cases {
                var headers = HTTPFields()
                if let type { headers[.contentType] = type }
                try await client.execute(
                    uri: "/strict", method: .post, headers: headers, body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == status, "\(body)")
                    let text = status == .ok ? String(buffer: response.body) : errorMessage(response.body) ?? ""
                    #expect(text.contains(fragment), "\(text) should contain \(fragment)")
                }
            }
            // Operations without a body pass through untouched.
            try await client.execute(uri: "/strict", method: .post) { #expect($0.status == .ok) }
        }
    }

    @Test("metrics record the status the client received, not 500 for every error")
    func metricsSeeFinalStatus() async throws {
        try await makeApplication().test(.router) { client in
            try await client.execute(uri: "/internal/v1/ping", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/fail/conflict", method: .get) { #expect($0.status == .conflict) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                let lines = text.split(separator: "\n").filter {
                    $0.hasPrefix("http_server_request_duration") || $0.contains("requests")
                }
                #expect(text.contains(#"http_response_status_code="401""#), "\(lines.prefix(10))")
                #expect(text.contains(#"http_response_status_code="409""#))
                #expect(!text.contains(#"http_response_status_code="500""#))
            }
        }
    }

    @Test("status mapping round-trips between error kinds and HTTP")
    func kindMapping() {
        let kinds: [ErrorKind] = [
            .invalidInput, .unauthenticated, .forbidden, .notFound, .conflict, .payloadTooLarge, .unsupportedMediaType,
            .rateLimited, .unavailable,
        ]
        for kind in kinds { #expect(ErrorKind(httpStatus: Int(kind.httpStatus.code)) == kind) }
        #expect(RPCError(service: "x", status: nil, message: "down").kind == .unavailable)
        #expect(RPCError(service: "x", status: 500, message: "boom").kind == .unavailable)
        #expect(RPCError(service: "x", status: 404, message: "no such").kind == .notFound)
        #expect(RPCError(service: "x", status: 404, message: "no such").description == "no such")
    }

    @Test("service tokens are long, compare exactly and never print")
    func tokens() throws {
        #expect(throws: RequestError.self) { try ServiceToken(secret: "short") }
        let token = ServiceToken.generate()
        #expect(token.matches(token.secret))
        #expect(!token.matches(token.secret + "x"))
        #expect(!token.matches(String(token.secret.dropLast())))
        #expect(!"\(token)".contains(token.secret))
        #expect(ServiceToken.generate().secret != token.secret)
    }

    @Test("free ports are bindable loopback ports")
    func freePort() throws {
        let port = try FreePort.find()
        #expect((1024...65535).contains(port))
    }
}
