import CustosCore
import CustosServer
import Foundation
import Hummingbird
import NIOCore

/// The Integration Services SSI Bridge routes (is-api.md §1.2), as the gateway forwards them once it has
/// authenticated the caller and the policies allowed the request: the same paths under
/// `/internal/v1/tenants/{tenant}/ssi`, the same bodies and success answers (docs/identity.md §9 lists the
/// deliberate differences).
///
/// Routed by hand: bodies are credentials and claims, parsed strictly and kept as the exact JSON sent, which the
/// generator's Foundation coding would not preserve.
struct SSIBridgeRoutes {
    let service: SSIService

    static let bodyLimit = 256 * 1024
    static let prefix = "/internal/v1/tenants/:tenant/ssi/api/v0.2"

    static func tenant(_ context: CustosRequestContext) throws -> TenantID { try RelayedRequest.tenant(context) }

    static func caller(_ request: Request) throws -> RelayedCaller { try RelayedCaller(request) }

    static func parameter(_ name: String, _ context: CustosRequestContext) throws -> String {
        try RelayedRequest.parameter(name, context)
    }

    static func body(_ request: inout Request) async throws -> JSONValue {
        try await RelayedRequest.body(&request, limit: bodyLimit)
    }

    /// A body that must be a JSON object: a credential or a presentation. Anything else is not one to verify,
    /// so it is refused as input (as Integration Services' schema validation did) rather than answered as
    /// "not verified".
    static func objectBody(_ request: inout Request, naming what: String) async throws -> JSONValue {
        let body = try await body(&request)
        guard case .object = body else { throw RequestError(.invalidInput, "the body must be a JSON object (\(what))") }
        return body
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) throws -> Response {
        try RelayedRequest.json(value, status: status)
    }

    static func text(_ status: HTTPResponse.Status) -> Response { RelayedRequest.text(status) }

    func add(to group: RouterGroup<CustosRequestContext>) {
        let api = group.group(RouterPath(Self.prefix))
        addAuthentication(to: api)
        addIdentities(to: api)
        addVerification(to: api)
    }

    private func addAuthentication(to api: RouterGroup<CustosRequestContext>) {
        api.get("authentication/prove-ownership/:id") { _, context in
            let nonce = try await service.nonce(try Self.tenant(context), did: try Self.parameter("id", context))
            return try Self.json(["nonce": .string(nonce)])
        }
        api.post("authentication/prove-ownership/:id") { request, context in
            var request = request
            let body = try await Self.body(&request)
            guard let signed = body["signedNonce"]?.stringValue else {
                throw RequestError(.invalidInput, "signedNonce is required")
            }
            let jwt = try await service.proveOwnership(
                try Self.tenant(context), did: try Self.parameter("id", context), signedNonce: signed)
            return try Self.json(["jwt": .string(jwt)])
        }
        api.post("authentication/verify-jwt") { request, context in
            var request = request
            guard let jwt = try await Self.body(&request)["jwt"]?.stringValue else {
                throw RequestError(.invalidInput, "jwt is required")
            }
            return try Self.json(try await service.verifyToken(try Self.tenant(context), jwt: jwt))
        }
    }

    private func addIdentities(to api: RouterGroup<CustosRequestContext>) {
        api.post("identities/create") { request, context in
            var request = request
            let body = try await Self.body(&request)
            let created = try await service.createIdentity(
                try Self.tenant(context), body: body, caller: try Self.caller(request))
            return try Self.json(created, status: .created)
        }
        api.get("identities/key-pair") { request, _ in
            try Self.json(try SSIService.keyPair(type: request.uri.queryParameters["key-type"].map(String.init)))
        }
        api.get("identities/search") { request, context in
            try Self.json(try await service.searchIdentities(try Self.tenant(context), try Self.search(request)))
        }
        api.get("identities/identity/:id") { request, context in
            try Self.json(
                try await service.identity(
                    try Self.tenant(context), did: try Self.parameter("id", context), caller: try Self.caller(request)))
        }
        api.post("identities/identity") { request, context in
            var request = request
            let body = try await Self.body(&request)
            try await service.registerIdentity(try Self.tenant(context), body: body, caller: try Self.caller(request))
            return Self.text(.created)
        }
        api.put("identities/identity") { request, context in
            var request = request
            let body = try await Self.body(&request)
            guard try await service.updateIdentity(try Self.tenant(context), body: body) else {
                throw RequestError(.notFound, "No user found to update!")
            }
            return Self.text(.ok)
        }
        api.delete("identities/identity/:id") { request, context in
            let revoke = try RelayedRequest.flag(request, "revoke-credentials")
            guard
                try await service.deleteIdentity(
                    try Self.tenant(context), did: try Self.parameter("id", context), revokeCredentials: revoke)
            else { throw RequestError(.notFound, "no identity with that id is registered with this tenant") }
            return Self.text(.ok)
        }
    }

    private func addVerification(to api: RouterGroup<CustosRequestContext>) {
        api.get("verification/latest-document/:id") { request, context in
            let resolved = try await service.resolveDocument(
                try Self.parameter("id", context),
                versionTime: request.uri.queryParameters["version-time"].map(String.init),
                tenant: try Self.tenant(context))
            return try Self.json([
                "document": resolved.version ?? resolved.document,
                "messageId": resolved.messageID.map { .string($0.hex) } ?? .null,
                "metadata": resolved.metadata,
            ])
        }
        api.post("verification/trusted-roots") { request, context in
            var request = request
            guard let id = try await Self.body(&request)["trustedRootId"]?.stringValue else {
                throw RequestError(.invalidInput, "trustedRootId (a DID) is required")
            }
            let did = try DIDArgument(id, field: "trustedRootId").did
            guard try await service.addTrustedRoot(try Self.tenant(context), did: did) else {
                throw RequestError(.conflict, "\(did) is a trusted root already")
            }
            return Self.text(.ok)
        }
        api.get("verification/trusted-roots") { _, context in
            let roots = try await service.store.trustedRoots(try Self.tenant(context))
            return try Self.json(["trustedRoots": .array(roots.map(JSONValue.string))])
        }
        api.delete("verification/trusted-roots/:trustedRootId") { _, context in
            let did = try Self.parameter("trustedRootId", context)
            guard try await service.removeTrustedRoot(try Self.tenant(context), did: did) else {
                throw RequestError(.notFound, "\(did.prefix(256)) is not a trusted root")
            }
            return Self.text(.ok)
        }
        api.post("verification/create-credential") { request, context in
            var request = request
            let body = try await Self.body(&request)
            let credential = try await service.createCredential(
                try Self.tenant(context), body: body, caller: try Self.caller(request))
            return Response.bytes(credential, contentType: "application/json; charset=utf-8")
        }
        api.post("verification/check-credential") { request, context in
            var request = request
            let body = try await Self.objectBody(&request, naming: "a verifiable credential")
            return try Self.json(try await service.checkCredential(try Self.tenant(context), body: body))
        }
        api.post("verification/check-presentation") { request, context in
            var request = request
            let body = try await Self.objectBody(&request, naming: "a verifiable presentation")
            let query = request.uri.queryParameters
            return try Self.json(
                try await service.checkPresentation(
                    try Self.tenant(context), body: body, challenge: query["challenge"].map(String.init),
                    domain: query["domain"].map(String.init)))
        }
        api.post("verification/revoke-credential") { request, context in
            var request = request
            let body = try await Self.body(&request)
            guard try await service.revokeCredential(try Self.tenant(context), body: body) else {
                throw RequestError(.notFound, "no credential of this tenant has that signatureValue or id")
            }
            return Self.text(.ok)
        }
    }

    /// The query of `GET /identities/search` (is-api.md §0.5 and S6).
    static func search(_ request: Request) throws -> IdentitySearch {
        let query = request.uri.queryParameters
        func text(_ name: String) throws -> String? {
            guard let value = query[Substring(name)] else { return nil }
            guard value.count <= 256 else { throw RequestError(.invalidInput, "\(name) is longer than 256 characters") }
            try RelayedRequest.refuseNUL(value, name)
            return String(value)
        }
        var search = IdentitySearch(
            type: try text("type"), username: try text("username"), creator: try text("creator"))
        if let date = try text("registration-date") {
            guard let parsed = Timestamp.parse(date) else {
                throw RequestError(.invalidInput, "registration-date must be an RFC 3339 date-time")
            }
            search.registeredFrom = parsed
        }
        (search.limit, search.offset) = try request.page(defaultLimit: 100)
        if let asc = query["asc"] { search.ascending = asc == "true" }
        return search
    }
}
