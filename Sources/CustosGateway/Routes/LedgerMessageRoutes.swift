import CustosClients
import CustosCore
import CustosServer
import Foundation
import Hummingbird

/// `/api/v1/ledger/messages`: write and read the tenant's audit entries.
///
/// `data` is any JSON value, stored as its RFC 8785 canonical bytes, or with `"encoding": "base64"` a
/// base64 string stored as raw bytes. Reads give back what was written in the same encoding.
struct LedgerMessageRoutes {
    let ledger: LedgerClient

    static let bodyLimit = 64 * 1024
    static let jsonContentType = "application/json"
    static let binaryContentType = "application/octet-stream"

    func add(to api: RouterGroup<CustosRequestContext>) {
        api.post("ledger/messages") { request, context in
            var request = request
            let tenant = try context.requireTenantKey().tenant
            let submit = try Self.submission(from: try await request.strictJSONBody(limit: Self.bodyLimit))
            let submitted = try await ledger.submit(tenant: tenant, submit)
            return try JSONResponse.make(submitted, status: .created)
        }
        api.get("ledger/messages/:id") { _, context in
            let tenant = try context.requireTenantKey().tenant
            let id = try Self.messageID(context)
            return try JSONResponse.make(try Self.presentation(of: try await ledger.message(tenant: tenant, id: id)))
        }
    }

    /// The message id in the route, validated.
    static func messageID(_ context: CustosRequestContext) throws -> Digest32 {
        guard let id = try? Digest32(hex: try context.parameters.require("id")) else {
            throw RequestError(.invalidInput, "message id must be 64 hexadecimal characters")
        }
        return id
    }

    /// Validates the tenant's request and turns it into the worker's submission.
    static func submission(from body: JSONValue) throws -> LedgerAPI.Submit {
        guard let fields = body.objectValue else { throw RequestError(.invalidInput, "body must be a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !["tag", "data", "encoding"].contains($0) }) {
            throw RequestError(.invalidInput, "unknown field \"\(unknown)\"; allowed: tag, data, encoding")
        }
        guard let tag = fields["tag"]?.stringValue else {
            throw RequestError(.invalidInput, "field \"tag\" is required and must be a string")
        }
        guard tag.utf8.count <= 64 else { throw RequestError(.invalidInput, "tag must be at most 64 bytes of UTF-8") }
        guard let data = fields["data"] else { throw RequestError(.invalidInput, "field \"data\" is required") }
        let encoding = fields["encoding"].map { $0.stringValue ?? "" } ?? "json"
        let bytes: [UInt8]
        let contentType: String
        switch encoding {
        case "json":
            bytes = try data.canonicalBytes()
            contentType = jsonContentType
        case "base64":
            guard let text = data.stringValue, let decoded = try? Base64.decode(text) else {
                throw RequestError(.invalidInput, "with encoding \"base64\", data must be a base64 string")
            }
            bytes = decoded
            contentType = binaryContentType
        default:
            throw RequestError(.invalidInput, "encoding must be \"json\" or \"base64\"")
        }
        guard bytes.count <= 30 * 1024 else {
            throw RequestError(.payloadTooLarge, "data is \(bytes.count) bytes; at most 30720 fit in a ledger message")
        }
        return LedgerAPI.Submit(
            tag: Base64.encode(Array(tag.utf8)), data: Base64.encode(bytes), contentType: contentType)
    }

    /// The tenant-facing form of a stored message.
    struct Presentation: Encodable {
        var messageId: String
        var tag: String
        var data: JSONValue
        var encoding: String
        var parents: [String]
        var networkId: String
        var receivedAt: String
        var sequence: String
    }

    static func presentation(of message: LedgerAPI.Message) throws -> Presentation {
        let tagBytes = try Base64.decode(message.tag)
        let dataBytes = try Base64.decode(message.data)
        let data: JSONValue
        let encoding: String
        if message.contentType == jsonContentType, let parsed = try? JSONParser.parse(dataBytes) {
            (data, encoding) = (parsed, "json")
        } else {
            (data, encoding) = (.string(message.data), "base64")
        }
        return Presentation(
            messageId: message.messageId, tag: String(decoding: tagBytes, as: UTF8.self), data: data,
            encoding: encoding,
            parents: message.parents, networkId: message.networkId, receivedAt: message.receivedAt,
            sequence: message.sequence)
    }
}
