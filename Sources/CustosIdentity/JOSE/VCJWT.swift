import CustosCore
import CustosCrypto

/// VC-JOSE-COSE `vc+jwt`: the unsecured credential JSON as the payload of a compact JWS signed with
/// EdDSA (Ed25519), header `{"alg":"EdDSA","kid":<method>,"typ":"vc+jwt","cty":"vc"}`.
///
/// The header is written in exactly that member order and the payload in JCS form, so with a
/// deterministic Ed25519 signer the token is reproducible byte for byte.
///
/// Verification (``CredentialVerifier/verify(jwt:now:)``) is as strict as the specification and no more:
/// `typ` may be absent (it SHOULD be `vc+jwt`, and must be when present), and the payload must be a VC 2.0
/// credential.
public enum VCJWT {
    /// The `typ` of a JWT-secured credential.
    public static let type = "vc+jwt"
    /// The `cty` of a JWT-secured credential.
    public static let contentType = "vc"
    /// The data-URL prefix of a vc+jwt inside a presentation (`EnvelopedVerifiableCredential`).
    public static let envelopePrefix = "data:application/vc+jwt,"

    /// Signs `credential` (without embedded proof) as a vc+jwt; `kid` is the signer's method.
    ///
    /// When the issuer is a DID, the signer's method must belong to it.
    public static func issue(_ credential: JSONValue, signer: any ProofSigner) throws(IdentityError) -> String {
        guard credential.objectValue != nil else {
            throw IdentityError.malformed(field: "(credential)", reason: "must be a JSON object")
        }
        guard credential["proof"] == nil else {
            throw IdentityError.malformed(
                field: "proof", reason: "must be absent: a vc+jwt secures the unsecured credential")
        }
        try refuseVersion1(credential)
        let issuerValue = credential["issuer"]
        if let issuer = (issuerValue?.stringValue ?? issuerValue?["id"]?.stringValue).flatMap({ try? DID($0) }) {
            let method = try DIDURL(signer.verificationMethod)
            guard method.did == issuer else {
                throw IdentityError.methodNotControlledBy(method: method.description, controller: issuer.description)
            }
        }
        let header = try headerBytes(kid: signer.verificationMethod)
        let payload = try JSONFields.canonical(credential, field: "(credential)")
        return try CompactJWS.sign(header: header, payload: payload, signer: signer)
    }

    /// Throws if `credential` is a VC 1.1 credential (its first `@context` is the 1.1 one).
    ///
    /// VC-JOSE-COSE secures VC Data Model 2.0 only; a VC 1.1 credential in a JWT belongs to the older
    /// VC-JWT format, where registered claims stand for credential properties (`vc`, `jti` for `id`, `nbf`
    /// for `issuanceDate`). The structure check reports any other bad `@context`; this names the likely
    /// mistake.
    static func refuseVersion1(_ credential: JSONValue) throws(IdentityError) {
        let context = credential["@context"]
        guard (context?.arrayValue?.first ?? context)?.stringValue == VerifiableCredential.contextV1 else { return }
        throw IdentityError.malformed(
            field: "@context",
            reason: "is the VC 1.1 context; a vc+jwt must secure a VC 2.0 credential, whose @context starts with '"
                + VerifiableCredential.contextV2 + "'")
    }

    /// `{"alg":"EdDSA","kid":…,"typ":"vc+jwt","cty":"vc"}` in this member order.
    static func headerBytes(kid: String) throws(IdentityError) -> [UInt8] {
        let quotedKid = try JSONFields.canonical(.string(kid), field: "kid")
        return Array(#"{"alg":"EdDSA","kid":"#.utf8) + quotedKid + Array(#","typ":"vc+jwt","cty":"vc"}"#.utf8)
    }
}
