import AsyncHTTPClient
import CustosClients
import Foundation
import NIOCore
import NIOHTTP1

/// Minimal HTTP for the tests: real requests over loopback through AsyncHTTPClient.
enum HTTP {
    struct Response {
        let status: Int
        let body: [UInt8]
        let headers: HTTPHeaders

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body)) }
        var object: [String: Any] { (json as? [String: Any]) ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func request(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: TimeAmount = .seconds(30)
    ) async throws -> Response {
        let loopback = LoopbackName.rewrite(url)
        var request = HTTPClientRequest(url: loopback?.url ?? url)
        request.method = HTTPMethod(rawValue: method)
        if let loopback, !headers.contains(where: { $0.0.lowercased() == "host" }) {
            request.headers.add(name: "Host", value: loopback.host)
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            // Every body the tests send is JSON unless a test says otherwise.
            if !request.headers.contains(name: "Content-Type") {
                request.headers.add(name: "Content-Type", value: "application/json")
            }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let collected = try await response.body.collect(upTo: 16 << 20)
        return Response(
            status: Int(response.status.code), body: Array(collected.readableBytesView), headers: response.headers)
    }

    static func json(_ value: Any) -> [UInt8] { Array(try! JSONSerialization.data(withJSONObject: value)) }
}
