import CustosCore
import CustosCrypto

/// The public key carried by a verification method.
public enum VerificationKey: Sendable, Hashable {
    /// An Ed25519 signing key (multicodec `ed25519-pub`, `z6Mk…`).
    case ed25519(Ed25519.PublicKey)
    /// An X25519 key-agreement key (multicodec `x25519-pub`, `z6LS…`).
    case x25519(X25519.PublicKey)

    /// The Multikey `publicKeyMultibase`: `z` + base58btc(multicodec varint ‖ raw key).
    public var multibase: String {
        switch self {
        case .ed25519(let key):
            return Multibase.encode(Multicodec.prefix(.ed25519Pub, to: key.rawRepresentation))
        case .x25519(let key):
            return Multibase.encode(Multicodec.prefix(.x25519Pub, to: key.rawRepresentation))
        }
    }

    /// Parses a Multikey `publicKeyMultibase`; `field` names it in errors.
    public init(multibase: String, field: String = "publicKeyMultibase") throws(IdentityError) {
        let bytes: [UInt8]
        let codec: Multicodec
        let payload: [UInt8]
        do {
            let decoded = try Multibase.decode(multibase)
            guard decoded.base == .base58btc else {
                throw IdentityError.malformed(field: field, reason: "must be multibase base58btc ('z…')")
            }
            bytes = decoded.bytes
            (codec, payload) = try Multicodec.split(bytes)
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError.malformed(field: field, reason: "is not a valid multikey: \(error)")
        }
        try self.init(codec: codec, raw: payload, field: field)
    }

    /// A key from its multicodec and raw bytes.
    init(codec: Multicodec, raw: [UInt8], field: String) throws(IdentityError) {
        do {
            switch codec {
            case .ed25519Pub:
                self = .ed25519(try Ed25519.PublicKey(rawRepresentation: raw))
            case .x25519Pub:
                self = .x25519(try X25519.PublicKey(rawRepresentation: raw))
            default:
                throw IdentityError.malformed(
                    field: field, reason: "has multicodec \(codec), only ed25519-pub and x25519-pub are supported")
            }
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError.malformed(field: field, reason: "\(error)")
        }
    }

    /// The Ed25519 key, if this is one.
    public var ed25519: Ed25519.PublicKey? {
        if case .ed25519(let key) = self { return key }
        return nil
    }
}
