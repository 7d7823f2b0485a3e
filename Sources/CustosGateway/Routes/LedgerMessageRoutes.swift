import CustosClients
import CustosCore
import CustosLedger
import CustosServer
import Foundation
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// `/api/v1/ledger/messages`: write and read the tenant's audit entries (docs/openapi/tenant.json).
///
/// `data` is any JSON value, stored as its RFC 8785 canonical bytes, or with `"encoding": "base64"` a
/// base64 string stored as raw bytes. Reads give back what was written in the same encoding.
///
/// Routed by hand, not by generated code: the write parses the raw body with the strict JSON parser so the
/// stored bytes are exactly what was sent, and reads present `data` from the stored bytes; the generator would
/// take both through Foundation's JSON coding, which can alter numbers and accepts duplicate members.
struct LedgerMessageRoutes {
    let ledger: LedgerClient
    let submissions: LedgerSubmitQueue
    let usage: UsageMeter
    let cache: ImmutableResponses

    static let bodyLimit = 64 * 1024
    static let jsonContentType = "application/json"
    static let binaryContentType = "application/octet-stream"
    /// The tenant API's own limit on `data`, below the ledger message's 32 KiB so tag and header always fit.
    static let maximumDataLength = 30 * 1024

    func add(to api: RouterGroup<CustosRequestContext>) {
        api.post("/api/v1/ledger/messages") { request, context in
            var request = request
            let key = try context.requireTenantKey()
            let tenant = key.tenant
            // The policy facts parsed the body already (they need its tag).
            let body: JSONValue
            if let parsed = RequestBodyScope.json {
                body = parsed
            } else {
                body = try await request.strictJSONBody(limit: Self.bodyLimit)
            }
            let entry = try Self.submission(from: body)
            do { try await usage.admit(1, tenant: tenant, plan: key.plan) } catch let refusal
                as UsageMeter.QuotaExceeded
            {
                return refusal.response()
            }
            let id: Digest32
            do { id = try await submissions.submit(entry, tenant: tenant) } catch {
                usage.release(1, tenant: tenant)
                throw error
            }
            // The answer is fixed but for the id: written directly, it costs no encoder on the write path.
            return Response(
                status: .created, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"messageId":"\#(id.hex)"}"#)))
        }
        api.get("/api/v1/ledger/messages/:messageId") { request, context in
            let tenant = try context.requireTenantKey().tenant
            let id = try Self.messageID(context)
            // An entry never changes: its id names its bytes, so the id is its ETag.
            let etag = ImmutableResponses.tag(id.hex)
            if ImmutableResponses.isFresh(request, etag: etag) {
                return ImmutableResponses.notModified(etag: etag, caching: ImmutableResponses.immutable)
            }
            let body: ByteBuffer
            if let kept = cache.entry(id, of: tenant) {
                body = kept
            } else {
                let presented = try Self.presentation(of: try await ledger.message(tenant: tenant, id: id))
                body = ByteBuffer(data: try JSONCoding.encoder.encode(presented))
                cache.keep(id, of: tenant, body)
            }
            return ImmutableResponses.response(
                body, contentType: "application/json; charset=utf-8", etag: etag, caching: ImmutableResponses.immutable)
        }
        api.get("/api/v1/ledger/messages") { request, context in
            let tenant = try context.requireTenantKey().tenant
            guard let tag = request.uri.queryParameters["tag"].map(String.init) else {
                throw RequestError(.invalidInput, "query parameter tag is required")
            }
            let page = try await ledger.messages(
                tenant: tenant, tag: tag, after: try request.integerQuery("after"),
                limit: try request.integerQuery("limit"))
            let messages = try page.messages.map(Self.presentation)
            return try JSONResponse.make(MessagePage(messages: messages, next: page.next))
        }
    }

    /// The message id in the route, validated.
    static func messageID(_ context: CustosRequestContext) throws -> Digest32 {
        guard let id = try? Digest32(hex: try context.parameters.require("messageId")) else {
            throw RequestError(.invalidInput, "message id must be 64 hexadecimal characters")
        }
        return id
    }

    /// Validates the tenant's request and turns it into the entry to attach; the tag's limit is the ledger
    /// format's own (``TaggedData``).
    static func submission(from body: JSONValue) throws -> LedgerEntry {
        guard let fields = body.objectValue else { throw RequestError(.invalidInput, "body must be a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !["tag", "data", "encoding"].contains($0) }) {
            throw RequestError(.invalidInput, "unknown field \"\(unknown)\"; allowed: tag, data, encoding")
        }
        guard let tag = fields["tag"]?.stringValue else {
            throw RequestError(.invalidInput, "field \"tag\" is required and must be a string")
        }
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
                // Only the canonical spelling is read, so the data has one text as well as one value.
                throw RequestError(
                    .invalidInput,
                    "with encoding \"base64\", data must be a string of canonical base64 (RFC 4648 §4, padded, the "
                        + "unused bits of its last character zero)")
            }
            bytes = decoded
            contentType = binaryContentType
        default:
            throw RequestError(.invalidInput, "encoding must be \"json\" or \"base64\"")
        }
        guard bytes.count <= maximumDataLength else {
            throw RequestError(
                .payloadTooLarge, "data is \(bytes.count) bytes; at most \(maximumDataLength) fit in a ledger message")
        }
        return try LedgerEntry(payload: try TaggedData(tag: Array(tag.utf8), data: bytes), contentType: contentType)
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

    /// A page of entries with one tag.
    struct MessagePage: Encodable {
        var messages: [Presentation]
        var next: String?
    }
}
