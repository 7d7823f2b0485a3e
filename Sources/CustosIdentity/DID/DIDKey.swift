import CustosCore
import CustosCrypto

/// The `did:key` method for Ed25519 and X25519 keys (w3c-ccg did-method-key).
///
/// `did:key:` + Multikey (`z6Mk…` for Ed25519). The document has one Ed25519 method `did:key:<mb>#<mb>`
/// under authentication, assertionMethod, capabilityInvocation and capabilityDelegation, and the X25519
/// key derived from it (libsodium's birational map) as `did:key:<mb>#<z6LS…>` under keyAgreement.
public enum DIDKey {
    /// The did:key of an Ed25519 public key.
    public static func did(for key: Ed25519.PublicKey) -> DID {
        // A multibase string is always a valid method-specific id.
        try! DID("did:key:" + VerificationKey.ed25519(key).multibase)
    }

    /// The id of the signing method of an Ed25519 did:key, `did:key:<mb>#<mb>`.
    public static func verificationMethodID(for key: Ed25519.PublicKey) -> DIDURL {
        let did = did(for: key)
        return DIDURL(did: did, fragment: did.methodSpecificID)
    }

    /// The key encoded in a did:key.
    public static func key(of did: DID) throws(IdentityError) -> VerificationKey {
        guard did.method == "key" else {
            throw IdentityError.invalidDID(did.description, reason: "is not a did:key")
        }
        return try VerificationKey(multibase: did.methodSpecificID, field: "did:key method-specific id")
    }

    /// Expands a did:key into its DID document.
    public static func document(for did: DID) throws(IdentityError) -> DIDDocument {
        let key = try key(of: did)
        let primary = VerificationMethod(
            id: DIDURL(did: did, fragment: did.methodSpecificID), controller: did, key: key)
        switch key {
        case .ed25519(let publicKey):
            let exchange: X25519.PublicKey
            do {
                exchange = try publicKey.x25519()
            } catch {
                throw IdentityError.invalidDID(did.description, reason: "the Ed25519 key has no X25519 form: \(error)")
            }
            let agreementKey = VerificationKey.x25519(exchange)
            let agreement = VerificationMethod(
                id: DIDURL(did: did, fragment: agreementKey.multibase), controller: did, key: agreementKey)
            return DIDDocument(
                id: did,
                methods: [
                    (primary, [.authentication, .assertionMethod, .capabilityInvocation, .capabilityDelegation]),
                    (agreement, [.keyAgreement]),
                ])
        case .x25519:
            return DIDDocument(id: did, methods: [(primary, [.keyAgreement])])
        }
    }
}
