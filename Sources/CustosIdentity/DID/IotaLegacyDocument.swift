import CustosCore
import CustosCrypto

/// Import of Chrysalis-era `did:iota` documents as Integration Services stored and returned them:
/// `{"doc": {…}, "meta": {"created", "updated", "previousMessageId"?}, "proof": {JcsEd25519Signature2020},
/// "integrationMessageId"?}`.
///
/// Only root documents (no `previousMessageId`) verify offline: the proof's method must be in `doc`,
/// its key must hash to the tag (base58btc(BLAKE2b-256(pk)), the last segment of the DID), and the
/// signature covers `{doc, meta, proof}` without `signatureValue`. The resolver-added
/// `integrationMessageId` is not signed and is ignored.
public enum IotaLegacyDocument {
    /// The DID method of these documents.
    public static let method = "iota"

    /// Whether `json` has the IS wire shape (`doc` and `meta` members).
    public static func isWireDocument(_ json: JSONValue) -> Bool {
        json["doc"]?.objectValue != nil && json["meta"]?.objectValue != nil
    }

    /// Verifies a root document and returns the DID document it carries.
    public static func verify(_ json: JSONValue) throws(IdentityError) -> DIDDocument {
        let fields = try JSONFields(json, path: "")
        guard let doc = fields["doc"] else {
            throw IdentityError.malformed(field: "doc", reason: "is missing")
        }
        let document = try DIDDocument(json: doc, path: "doc")
        let meta = try JSONFields(fields["meta"] ?? .null, path: "meta")
        guard meta["previousMessageId"] == nil else {
            throw IdentityError.malformed(
                field: "meta.previousMessageId",
                reason: "is set: only root did:iota documents can be verified offline; supply the root document")
        }
        guard let proofValue = fields["proof"] else {
            throw IdentityError.missingProof
        }
        let proof = try JSONFields(proofValue, path: "proof")
        let methodURL = try DIDURL(try proof.string("verificationMethod"), relativeTo: document.id)
        guard methodURL.did == document.id, let method = document.method(methodURL) else {
            throw IdentityError.unknownVerificationMethod(methodURL.description)
        }
        let key = try method.ed25519Key()
        let tag = document.id.methodSpecificID.split(separator: ":").last.map(String.init) ?? ""
        guard Base58.encode(BLAKE2b.hash256(key.rawRepresentation)) == tag else {
            throw IdentityError.invalidDID(
                document.id.description, reason: "the tag is not the BLAKE2b-256 hash of the signing key \(methodURL)")
        }
        try JcsEd25519Signature2020.verify(JSONFields.removing("integrationMessageId", from: json), publicKey: key)
        return document
    }
}
