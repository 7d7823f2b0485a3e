import CustosCore
import CustosCrypto
import Foundation

/// The JWT a tenant issues when an identity proves ownership of its DID (Integration Services prove-ownership,
/// docs/identity.md §9): a compact JWS signed with EdDSA (Ed25519, RFC 8037) by the tenant's trust root key.
///
/// Integration Services signed with a shared HMAC secret, so anyone who could check a token could also forge
/// one. Here the signing key stays with the ssi worker and the public key is published as a JWKS, so gateways
/// and third parties verify tokens without any secret.
///
/// The payload keeps the Integration Services `user` member (`id`, `role`, `username`) that its clients read,
/// beside the registered claims. The role in a token is informational: the gateway reads an identity's current
/// role for every request, so a demoted identity loses its rights at once, not when its token expires.
public struct IdentityToken: Sendable, Equatable {
    /// The DID of the identity (`sub`, and `user.id`).
    public let subject: String
    /// The identity's username when the token was issued.
    public let username: String
    /// The identity's role when the token was issued.
    public let role: String
    /// The tenant whose gateway accepts the token (`aud`).
    public let tenant: TenantID
    /// The trust root DID that issued it (`iss`).
    public let issuer: String
    /// Unique id of the token (`jti`).
    public let id: String
    /// Issued at, whole seconds since 1970 (`iat`).
    public let issuedAt: Int
    /// Expires at, whole seconds since 1970 (`exp`).
    public let expiresAt: Int

    /// How long a token is valid: short, because a stolen token works until it expires.
    public static let lifetime = 15 * 60
    /// Clock skew tolerated between the worker that signed and the gateway that checks.
    public static let leeway = 30

    /// Creates the claims of a token issued `now`, valid for ``lifetime``.
    public init(
        subject: String, username: String, role: String, tenant: TenantID, issuer: String, now: Date,
        id: String = Base64URL.encode(SecureRandom.bytes(count: 16))
    ) {
        self.subject = subject
        self.username = username
        self.role = role
        self.tenant = tenant
        self.issuer = issuer
        self.id = id
        issuedAt = Int(now.timeIntervalSince1970)
        expiresAt = issuedAt + Self.lifetime
    }

    init(payload: JSONValue, now: Date, tenant expectedTenant: TenantID) throws(IdentityTokenError) {
        guard case .object = payload, let subject = payload["sub"]?.stringValue,
            let issuer = payload["iss"]?.stringValue, let audience = payload["aud"]?.stringValue,
            let id = payload["jti"]?.stringValue, let issuedAt = payload["iat"]?.intValue,
            let expiresAt = payload["exp"]?.intValue
        else { throw .malformed("the payload lacks sub, iss, aud, jti, iat or exp") }
        guard audience == expectedTenant.rawValue else { throw .wrongAudience }
        let seconds = Int(now.timeIntervalSince1970)
        guard expiresAt + Self.leeway > seconds else { throw .expired }
        guard issuedAt - Self.leeway <= seconds else { throw .malformed("the token was issued in the future") }
        self.subject = subject
        self.issuer = issuer
        self.tenant = expectedTenant
        self.id = id
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        username = payload["user"]?["username"]?.stringValue ?? subject
        role = payload["user"]?["role"]?.stringValue ?? "User"
    }

    /// The payload, in the member order of RFC 8785 (the order is not significant to verifiers).
    var payload: JSONValue {
        .object([
            "aud": .string(tenant.rawValue), "exp": .number(Double(expiresAt)), "iat": .number(Double(issuedAt)),
            "iss": .string(issuer), "jti": .string(id), "sub": .string(subject),
            "user": .object(["id": .string(subject), "role": .string(role), "username": .string(username)]),
        ])
    }

    /// The compact JWS `header.payload.signature`, signed by `key` whose JWKS entry is `keyID`.
    public func signed(with key: Ed25519.PrivateKey, keyID: String) throws(IdentityTokenError) -> String {
        let header: JSONValue = .object(["alg": "EdDSA", "kid": .string(keyID), "typ": "JWT"])
        let encodedHeader: String
        let encodedPayload: String
        do {
            encodedHeader = Base64URL.encode(try JCS.canonicalBytes(header))
            encodedPayload = Base64URL.encode(try JCS.canonicalBytes(payload))
        } catch { throw .malformed("\(error)") }
        let input = encodedHeader + "." + encodedPayload
        return input + "." + Base64URL.encode(key.signature(for: Array(input.utf8)))
    }

    /// Verifies `compact` for `tenant` at `now` against the tenant's keys (by `kid`) and returns its claims.
    public static func verify(
        _ compact: some StringProtocol, keys: [String: Ed25519.PublicKey], tenant: TenantID, now: Date
    ) throws(IdentityTokenError) -> IdentityToken {
        // A JWT of the 2 KiB this gateway issues never comes near this; the bound keeps parsing cheap.
        guard compact.utf8.count <= 8192 else { throw .malformed("the token is longer than 8192 bytes") }
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("a JWT has three dot-separated parts") }
        let header: JSONValue
        let payload: JSONValue
        let signature: [UInt8]
        do {
            header = try JSONParser.parse(try Base64URL.decode(parts[0]))
            payload = try JSONParser.parse(try Base64URL.decode(parts[1]))
            signature = try Base64URL.decode(parts[2])
        } catch { throw .malformed("a part is not base64url JSON") }
        // Only EdDSA: an `alg` of `none` or HS256 never reaches a key (RFC 8725 §3.1).
        guard header["alg"]?.stringValue == "EdDSA" else { throw .malformed("alg must be EdDSA") }
        guard header["crit"] == nil else { throw .malformed("crit is not supported") }
        guard let keyID = header["kid"]?.stringValue, let key = keys[keyID] else { throw .unknownKey }
        let input = parts[0] + "." + parts[1]
        guard key.isValidSignature(signature, for: Array(input.utf8)) else { throw .invalidSignature }
        return try IdentityToken(payload: payload, now: now, tenant: tenant)
    }
}

/// Why an identity token was refused; every case is a 401, and messages never echo the token.
public enum IdentityTokenError: CustosError, Equatable {
    /// Not a JWT of the expected form.
    case malformed(String)
    /// Signed by a key the tenant does not publish.
    case unknownKey
    /// The signature does not verify.
    case invalidSignature
    /// Past its `exp`.
    case expired
    /// Issued for another tenant's gateway.
    case wrongAudience

    public var kind: ErrorKind { .unauthenticated }

    /// The Integration Services wording where it has one (`jwt expired`, `invalid signature`, `jwt malformed`),
    /// which its clients match, with the reason after it.
    public var description: String {
        switch self {
        case .malformed(let reason): "jwt malformed: \(reason)"
        case .unknownKey: "invalid signature: the token is not signed by a key of this tenant"
        case .invalidSignature: "invalid signature"
        case .expired: "jwt expired"
        case .wrongAudience: "invalid signature: the token was issued for another tenant"
        }
    }
}
