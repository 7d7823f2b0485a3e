import CustosCore
import CustosCrypto
import Foundation

/// Builds and signs did:custos document versions.
///
/// A version is the DID document plus the ``DocumentVersionMetadata`` member `custos`, secured with an
/// `eddsa-jcs-2022` proof for purpose `capabilityInvocation`. Version 1 is signed by the initial key
/// (whose hash is the tag); every later version by a capabilityInvocation method of the version before.
public enum CustosDocumentVersion {
    /// The fragment of the default signing method.
    public static let signingFragment = "sign-0"
    /// The fragment of the default key-agreement method.
    public static let keyAgreementFragment = "kex-0"

    /// The standard first document: `#sign-0` (Ed25519 Multikey) under capabilityInvocation,
    /// authentication and assertionMethod, and `#kex-0` (X25519) under keyAgreement.
    ///
    /// `keyAgreementKey` defaults to the X25519 form of `signingKey`, as did:key does; pass a separate key
    /// to keep signing and encryption keys independent.
    public static func initialDocument(
        network: String,
        signingKey: Ed25519.PublicKey,
        keyAgreementKey: X25519.PublicKey? = nil,
        services: [DIDService] = []
    ) throws(IdentityError) -> DIDDocument {
        let did = try CustosDID(network: network, initialKey: signingKey).did
        let exchange: X25519.PublicKey
        if let keyAgreementKey {
            exchange = keyAgreementKey
        } else {
            do {
                exchange = try signingKey.x25519()
            } catch {
                throw IdentityError.malformed(field: "signingKey", reason: "has no X25519 form: \(error)")
            }
        }
        let sign = VerificationMethod(
            id: DIDURL(did: did, fragment: signingFragment), controller: did, key: .ed25519(signingKey))
        let kex = VerificationMethod(
            id: DIDURL(did: did, fragment: keyAgreementFragment), controller: did, key: .x25519(exchange))
        return DIDDocument(
            id: did,
            methods: [(sign, [.capabilityInvocation, .authentication, .assertionMethod]), (kex, [.keyAgreement])],
            services: services)
    }

    /// Signs version 1 of `document` with `signer`, which must be a capabilityInvocation method of the
    /// document holding the initial key.
    public static func first(
        _ document: DIDDocument, signer: any ProofSigner, created: Date
    ) throws(IdentityError) -> JSONValue {
        let did = try CustosDID(document.id)
        let methodURL = try DIDURL(signer.verificationMethod, relativeTo: document.id)
        guard let method = document.method(methodURL), document.isAuthorized(methodURL, for: .capabilityInvocation)
        else {
            throw IdentityError.methodNotAuthorized(method: methodURL.description, relationship: "capabilityInvocation")
        }
        guard did.isDerived(from: try method.ed25519Key()) else {
            throw IdentityError.versionChainBroken(
                version: 1,
                reason: "the signing key \(methodURL) is not the initial key the tag \(did.tag) was derived from")
        }
        let metadata = DocumentVersionMetadata(
            versionId: 1, created: created, updated: created, previousVersionHash: nil)
        return try sign(document, metadata: metadata, signer: signer, expectedKey: try method.ed25519Key())
    }

    /// Signs the version after `previous` holding `document`; `signer` must be a capabilityInvocation
    /// method of `previous`. Set `deactivate` to end the DID.
    public static func next(
        after previous: JSONValue,
        document: DIDDocument,
        signer: any ProofSigner,
        updated: Date,
        deactivate: Bool = false
    ) throws(IdentityError) -> JSONValue {
        let previousMetadata = try DocumentVersionMetadata(version: previous)
        guard !previousMetadata.deactivated else {
            throw IdentityError.versionChainBroken(
                version: previousMetadata.versionId + 1,
                reason: "version \(previousMetadata.versionId) deactivated the DID; nothing may follow it")
        }
        let previousDocument = try DIDDocument(
            json: JSONFields.removing(
                DocumentVersionMetadata.member, from: JSONFields.removing("proof", from: previous)))
        guard document.id == previousDocument.id else {
            throw IdentityError.versionChainBroken(
                version: previousMetadata.versionId + 1,
                reason: "it describes \(document.id), not \(previousDocument.id)")
        }
        let methodURL = try DIDURL(signer.verificationMethod, relativeTo: document.id)
        guard let method = previousDocument.method(methodURL),
            previousDocument.isAuthorized(methodURL, for: .capabilityInvocation)
        else {
            throw IdentityError.methodNotAuthorized(method: methodURL.description, relationship: "capabilityInvocation")
        }
        let metadata = DocumentVersionMetadata(
            versionId: previousMetadata.versionId + 1,
            created: previousMetadata.created,
            updated: updated,
            previousVersionHash: try hash(of: previous),
            deactivated: deactivate)
        return try sign(document, metadata: metadata, signer: signer, expectedKey: try method.ed25519Key())
    }

    /// `z` + base58btc(BLAKE2b-256(JCS(version))), over the signed version including its proof.
    public static func hash(of version: JSONValue) throws(IdentityError) -> String {
        Multibase.encode(BLAKE2b.hash256(try JSONFields.canonical(version, field: "(version)")), base: .base58btc)
    }

    private static func sign(
        _ document: DIDDocument, metadata: DocumentVersionMetadata, signer: any ProofSigner,
        expectedKey: Ed25519.PublicKey
    ) throws(IdentityError) -> JSONValue {
        var unsigned = JSONFields.removing("proof", from: document.json)
        unsigned = JSONFields.setting(DocumentVersionMetadata.member, to: metadata.json, in: unsigned)
        let options = ProofOptions(purpose: .capabilityInvocation, created: metadata.updated)
        let proof = try EddsaJcs2022.createProof(for: unsigned, options: options, signer: signer)
        let version = JSONFields.setting("proof", to: proof, in: unsigned)
        // A signer whose key is not the method's would publish a version that no resolver accepts.
        try EddsaJcs2022.verify(proof: proof, in: version, publicKey: expectedKey)
        return version
    }
}
