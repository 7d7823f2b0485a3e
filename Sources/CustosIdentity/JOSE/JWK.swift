import CustosCore
import CustosCrypto

/// RFC 8037 OKP JSON Web Keys for Ed25519 and X25519.
public enum JWK {
    /// The public JWK `{"kty":"OKP","crv":"Ed25519","x":…}` of `key`.
    public static func json(for key: Ed25519.PublicKey) -> JSONValue {
        ["kty": "OKP", "crv": "Ed25519", "x": .string(Base64URL.encode(key.rawRepresentation))]
    }

    /// Reads a public OKP JWK; a JWK carrying the private part `d` is refused, as it must never be published.
    public static func publicKey(_ jwk: JSONValue, field: String = "publicKeyJwk") throws(IdentityError)
        -> VerificationKey
    {
        let fields = try JSONFields(jwk, path: field)
        let kty = try fields.string("kty")
        guard kty == "OKP" else {
            throw IdentityError.malformed(field: fields.field("kty"), reason: "must be 'OKP', got '\(kty)'")
        }
        guard fields["d"] == nil else {
            throw IdentityError.malformed(
                field: fields.field("d"), reason: "is a private key and must not be published")
        }
        let crv = try fields.string("crv")
        let xText = try fields.string("x")
        let raw: [UInt8]
        do {
            raw = try Base64URL.decode(xText)
        } catch {
            throw IdentityError.malformed(field: fields.field("x"), reason: "is not base64url: \(error)")
        }
        switch crv {
        case "Ed25519":
            return try VerificationKey(codec: .ed25519Pub, raw: raw, field: fields.field("x"))
        case "X25519":
            return try VerificationKey(codec: .x25519Pub, raw: raw, field: fields.field("x"))
        default:
            throw IdentityError.malformed(field: fields.field("crv"), reason: "must be Ed25519 or X25519, got '\(crv)'")
        }
    }
}
