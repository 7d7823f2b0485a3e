import CustosCore
import CustosCrypto

/// A decoded JWS in compact serialization (`header.payload.signature`, base64url without padding).
public struct CompactJWS: Sendable {
    /// The protected header.
    public let header: JSONValue
    /// The payload, parsed as JSON.
    public let payload: JSONValue
    /// The ASCII bytes `header.payload` that the signature covers.
    public let signingInput: [UInt8]
    /// The signature bytes.
    public let signature: [UInt8]

    /// Splits and decodes `compact`; the header and payload must be JSON objects.
    public init(_ compact: String) throws(IdentityError) {
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw IdentityError.malformed(
                field: "jwt", reason: "must have three '.'-separated parts, not \(parts.count)")
        }
        self.header = try CompactJWS.decodeJSON(parts[0], field: "jwt header")
        self.payload = try CompactJWS.decodeJSON(parts[1], field: "jwt payload")
        do {
            self.signature = try Base64URL.decode(parts[2])
        } catch {
            throw IdentityError.malformed(field: "jwt signature", reason: "is not base64url: \(error)")
        }
        self.signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
    }

    /// Whether the signature verifies with the Ed25519 `key`.
    public func isValidSignature(_ key: Ed25519.PublicKey) -> Bool {
        signature.count == Ed25519.signatureByteCount && key.isValidSignature(signature, for: signingInput)
    }

    /// `base64url(header).base64url(payload).base64url(sign(...))` over already-serialized header and payload.
    static func sign(header: [UInt8], payload: [UInt8], signer: any ProofSigner) throws(IdentityError) -> String {
        let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        return input + "." + Base64URL.encode(try signer.sign(Array(input.utf8)))
    }

    private static func decodeJSON(_ part: Substring, field: String) throws(IdentityError) -> JSONValue {
        let bytes: [UInt8]
        do {
            bytes = try Base64URL.decode(part)
        } catch {
            throw IdentityError.malformed(field: field, reason: "is not base64url: \(error)")
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw IdentityError.malformed(field: field, reason: "is not JSON: \(error)")
        }
        guard value.objectValue != nil else {
            throw IdentityError.malformed(field: field, reason: "must be a JSON object")
        }
        return value
    }
}
