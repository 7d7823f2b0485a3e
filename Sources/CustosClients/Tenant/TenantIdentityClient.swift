import AsyncHTTPClient
import CustosCore
import CustosCrypto
import CustosTenantAPI
import Foundation
import NIOCore
import OpenAPIRuntime

/// A tenant's SSI Bridge (`/api/v0.2`, docs/identity.md §8), over the client generated from
/// docs/openapi/tenant.json, as a tenant administrator's tools use it: the API key in `X-API-Key`, and once
/// logged in as an identity, its JWT as the bearer token.
public struct TenantIdentityClient: Sendable {
    static let service = "gateway"
    private let client: Client
    private let baseURL: String
    private let apiKey: String
    private let http: HTTPClient
    /// The identity token this client sends, after ``login(did:seed:)``.
    public let jwt: String?

    /// Creates a client for the gateway at `baseURL` with one of the tenant's API keys.
    public init(baseURL: String, apiKey: String, jwt: String? = nil, http: HTTPClient = .shared) {
        // The SSI Bridge writes dates in whole seconds, as Integration Services did.
        client = Client(
            service: Self.service, baseURL: baseURL, bearer: jwt, apiKey: apiKey, http: http,
            timeout: .seconds(30), configuration: Configuration(dateTranscoder: .iso8601))
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.http = http
        self.jwt = jwt
    }

    /// Logs in as `did` (prove ownership with the identity's Ed25519 seed) and returns a client that sends its
    /// JWT.
    public func login(did: String, seed: [UInt8]) async throws -> TenantIdentityClient {
        let nonce = try await call(Self.service) {
            try await client.getOwnershipNonce(path: .init(id: did)).ok.body.json.nonce
        }
        let signature = try Ed25519.PrivateKey(seed: seed).signature(for: SHA256.hash(Array(nonce.utf8)))
        let jwt = try await call(Self.service) {
            try await client.proveOwnership(
                path: .init(id: did), body: .json(.init(signedNonce: Hex.encode(signature)))
            ).ok.body.json.jwt
        }
        return TenantIdentityClient(baseURL: baseURL, apiKey: apiKey, jwt: jwt, http: http)
    }

    /// Creates a did:custos identity; its keys are in the answer, once.
    public func createIdentity(username: String, claim: JSONValue?, storeKeys: Bool = false) async throws
        -> TenantAPI.IdentityKeys
    {
        let body = Components.Schemas.CreateIdentityBody(
            username: username, storeIdentity: storeKeys, claim: try claim.map { try Self.convert($0) })
        return try await call(Self.service) { try await client.createIdentity(body: .json(body)).created.body.json }
    }

    /// Sets an identity's role: with a `tenant-admin` key, or logged in as an Admin.
    public func setRole(did: String, role: String) async throws {
        guard let role = Components.Schemas.UpdateIdentityBody.RolePayload(rawValue: role) else {
            throw RPCError(service: Self.service, status: 400, message: "role must be Admin, Manager or User")
        }
        _ = try await call(Self.service) {
            try await client.updateIdentity(body: .json(.init(id: did, role: role))).ok
        }
    }

    /// Identities whose username starts with `username` (all when nil), oldest first.
    public func search(username: String?, limit: Int = 100) async throws -> [TenantAPI.IdentitySummary] {
        try await call(Self.service) {
            try await client.searchIdentities(query: .init(username: username, limit: limit, asc: "true")).ok.body.json
        }
    }

    /// Issues a credential from the tenant's trust root; the answer is the credential as JSON.
    public func issue(subject: String, type: String, claim: JSONValue) async throws -> JSONValue {
        let body = Components.Schemas.CreateCredentialBody(
            subject: .init(id: subject, credentialType: type, claim: try Self.convert(claim)))
        let answer = try await call(Self.service) {
            try await client.createCredential(body: .json(body)).ok.body.json
        }
        return try Self.convert(answer)
    }

    /// Revokes the tenant's credential with this proof value or id.
    public func revoke(_ reference: String) async throws {
        _ = try await call(Self.service) {
            try await client.revokeCredential(body: .json(.init(signatureValue: reference))).ok
        }
    }

    /// The tenant's verdict on a credential: its proof, validity, status and trust chain.
    public func check(_ credential: JSONValue) async throws -> (verified: Bool, error: String?) {
        let answer = try await call(Self.service) {
            try await client.checkCredential(body: .json(try Self.convert(credential))).ok.body.json
        }
        return (answer.isVerified, answer.error)
    }

    /// Between our JSON value and the generator's containers, through their JSON.
    static func convert<T: Decodable>(_ value: some Encodable) throws -> T {
        try JSONDecoder().decode(T.self, from: try JSONEncoder().encode(value))
    }
}
