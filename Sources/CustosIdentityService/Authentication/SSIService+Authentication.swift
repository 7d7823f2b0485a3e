import CustosAuth
import CustosCore
import CustosCrypto
import CustosIdentity
import Foundation

extension SSIService {
    /// How long a login nonce may be used.
    static let nonceLifetime: TimeInterval = 300

    /// `GET /authentication/prove-ownership/{id}`: a fresh 40-hex-character nonce for `did`, single use, valid
    /// for five minutes. The DID must be registered with the tenant.
    func nonce(_ tenant: TenantID, did: String) async throws -> String {
        _ = try DIDArgument(did)
        guard try await store.role(tenant, did: did) != nil else {
            throw RequestError(.notFound, "no identity \(did) is registered with this tenant")
        }
        let nonce = Hex.encode(SecureRandom.bytes(count: 20))
        try await store.insertNonce(tenant, did: did, nonce: nonce, expires: now() + Self.nonceLifetime)
        return nonce
    }

    /// `POST /authentication/prove-ownership/{id}`: checks the Ed25519 signature over SHA-256(nonce) (the raw
    /// 32 bytes, as the IS SDK signs) by an authentication key of the DID's current document against the DID's
    /// unexpired nonces, uses the nonce up, and returns a JWT of the tenant.
    func proveOwnership(_ tenant: TenantID, did: String, signedNonce: String) async throws -> String {
        _ = try DIDArgument(did)
        guard signedNonce.utf8.count == 128, let signature = try? Hex.decode(signedNonce) else {
            throw RequestError(.invalidInput, "signedNonce must be the 64-byte signature as 128 hex characters")
        }
        guard let identity = try await store.identity(tenant, did: did) else {
            throw RequestError(.unauthenticated, "could not prove the ownership: \(did) is not registered here")
        }
        let document: DIDDocument
        do { document = try await resolver(tenant).resolve(try DID(did)) } catch {
            throw RequestError(.unauthenticated, "could not prove the ownership: \(error)")
        }
        // IS signed nonces with `#sign-0`, which its did:iota documents list only under capabilityInvocation.
        let relationships: [VerificationRelationship] =
            document.id.method == IotaLegacyDocument.method
            ? [.authentication, .capabilityInvocation] : [.authentication]
        let keys = relationships.flatMap { document.methods(for: $0) }.compactMap { $0.key?.ed25519 }
        for nonce in try await store.nonces(tenant, did: did) {
            let digest = SHA256.hash(Array(nonce.utf8))
            guard keys.contains(where: { $0.isValidSignature(signature, for: digest) }) else { continue }
            guard try await store.consumeNonce(tenant, did: did, nonce: nonce) else { break }
            return try await token(
                tenant, subject: did, username: identity.username, role: identity.role)
        }
        throw RequestError(
            .unauthenticated,
            "could not prove the ownership: the signature matches no unused nonce of the last five minutes")
    }

    /// A JWT for `subject`, signed by the trust root.
    func token(_ tenant: TenantID, subject: String, username: String, role: String) async throws -> String {
        let row = try await self.tenant(tenant)
        let claims = IdentityToken(
            subject: subject, username: username, role: role, tenant: tenant, issuer: row.trustRoot, now: now())
        return try claims.signed(
            with: try await signingKey(tenant: tenant, did: row.trustRoot), keyID: Self.tokenKeyID(row))
    }

    /// The JWKS `kid` of the tenant's token key: its verification method, which resolves like any DID URL.
    static func tokenKeyID(_ row: SSITenantRow) -> String {
        row.trustRoot + "#" + CustosDocumentVersion.signingFragment
    }

    /// The public keys that sign the tenant's tokens, by `kid`.
    func tokenKeys(_ tenant: TenantID) async throws -> [String: Ed25519.PublicKey] {
        let row = try await self.tenant(tenant)
        let document = try await resolver(tenant).resolve(try DID(row.trustRoot))
        guard let key = document.method(Self.tokenKeyID(row))?.key?.ed25519 else {
            throw RequestError(.internalFailure, "the trust root has no signing key")
        }
        return [Self.tokenKeyID(row): key]
    }

    /// `POST /authentication/verify-jwt`: whether a token of this tenant is valid now.
    func verifyToken(_ tenant: TenantID, jwt: String) async throws -> JSONValue {
        do {
            _ = try IdentityToken.verify(jwt, keys: try await tokenKeys(tenant), tenant: tenant, now: now())
            return ["isValid": true]
        } catch let error as IdentityTokenError {
            return ["isValid": false, "error": .string(error.description)]
        }
    }
}

/// A DID given in a path or body: parsed, and at most 256 characters, so it can be stored and echoed safely.
struct DIDArgument {
    let did: DID

    init(_ text: String, field: String = "id") throws(RequestError) {
        guard text.utf8.count <= 256, let did = try? DID(text) else {
            throw RequestError(.invalidInput, "\(field) must be a DID (did:<method>:<id>, at most 256 characters)")
        }
        self.did = did
    }
}
