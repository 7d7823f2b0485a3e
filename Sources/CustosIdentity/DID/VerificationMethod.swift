import CustosCore
import CustosCrypto

/// A DID Core verification method: an id, a controller and a public key, kept with its original JSON.
///
/// Reads `Multikey` (`publicKeyMultibase` with a multicodec prefix), `Ed25519VerificationKey2018`
/// (`publicKeyBase58`, or IOTA's `publicKeyMultibase` of the raw 32 bytes), `Ed25519VerificationKey2020`,
/// `X25519KeyAgreementKey2019`/`2020` and `JsonWebKey2020`/`JsonWebKey` (OKP Ed25519 or X25519).
/// Methods of other types are kept with `key == nil` so that a document holding them still parses.
public struct VerificationMethod: Sendable, Hashable {
    /// The absolute DID URL of the method.
    public let id: DIDURL
    /// The method type, e.g. `Multikey`.
    public let type: String
    /// The controller DID.
    public let controller: String
    /// The public key, or `nil` for a type this module does not read.
    public let key: VerificationKey?
    /// The method's JSON as found (relative ids left as they were).
    public let json: JSONValue

    /// A `Multikey` method.
    public init(id: DIDURL, controller: DID, key: VerificationKey) {
        self.id = id
        self.type = "Multikey"
        self.controller = controller.description
        self.key = key
        self.json = [
            "id": .string(id.description),
            "type": "Multikey",
            "controller": .string(controller.description),
            "publicKeyMultibase": .string(key.multibase),
        ]
    }

    /// Parses a method object; relative ids (`#sign-0`) resolve against `base`, the document's DID.
    public init(json: JSONValue, base: DID?, path: String) throws(IdentityError) {
        let fields = try JSONFields(json, path: path)
        let idText = try fields.string("id")
        let id = try DIDURL(idText, relativeTo: base)
        let type = try fields.string("type")
        let controller = try fields.optionalString("controller") ?? id.did.description
        self.id = id
        self.type = type
        self.controller = controller
        self.json = json
        self.key = try VerificationMethod.readKey(fields, type: type)
    }

    /// The Ed25519 key, or an error naming this method when it holds another kind of key.
    public func ed25519Key() throws(IdentityError) -> Ed25519.PublicKey {
        guard let key = key?.ed25519 else {
            throw IdentityError.unsupportedKeyType(method: id.description, type: type)
        }
        return key
    }

    private static func readKey(_ fields: JSONFields, type: String) throws(IdentityError) -> VerificationKey? {
        switch type {
        case "Multikey", "Ed25519VerificationKey2020", "X25519KeyAgreementKey2020":
            return try VerificationKey(
                multibase: try fields.string("publicKeyMultibase"), field: fields.field("publicKeyMultibase"))
        case "Ed25519VerificationKey2018":
            return try legacyKey(fields, ed25519: true)
        case "X25519KeyAgreementKey2019":
            return try legacyKey(fields, ed25519: false)
        case "JsonWebKey2020", "JsonWebKey":
            guard let jwk = fields["publicKeyJwk"] else {
                throw IdentityError.malformed(field: fields.field("publicKeyJwk"), reason: "is missing")
            }
            return try JWK.publicKey(jwk, field: fields.field("publicKeyJwk"))
        default:
            return nil
        }
    }

    /// The 2018/2019 suites: `publicKeyBase58` of the raw key, or a multibase that may lack the codec.
    private static func legacyKey(_ fields: JSONFields, ed25519: Bool) throws(IdentityError) -> VerificationKey {
        let codec: Multicodec = ed25519 ? .ed25519Pub : .x25519Pub
        if let base58 = try fields.optionalString("publicKeyBase58") {
            do {
                return try VerificationKey(
                    codec: codec, raw: try Base58.decode(base58), field: fields.field("publicKeyBase58"))
            } catch let error as IdentityError {
                throw error
            } catch {
                throw IdentityError.malformed(field: fields.field("publicKeyBase58"), reason: "is not base58: \(error)")
            }
        }
        let field = fields.field("publicKeyMultibase")
        let multibase = try fields.string("publicKeyMultibase")
        let bytes: [UInt8]
        do {
            let decoded = try Multibase.decode(multibase)
            guard decoded.base == .base58btc else {
                throw IdentityError.malformed(field: field, reason: "must be multibase base58btc ('z…')")
            }
            bytes = decoded.bytes
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError.malformed(field: field, reason: "is not multibase: \(error)")
        }
        // IOTA Identity 0.6 writes "z" + base58(raw 32 bytes), without the multicodec prefix.
        if bytes.count == 32 {
            return try VerificationKey(codec: codec, raw: bytes, field: field)
        }
        return try VerificationKey(multibase: multibase, field: field)
    }
}
