import CustosCore
import CustosCrypto

/// The legacy `JcsEd25519Signature2020` suite of IOTA Identity 0.6 / Integration Services, verify only.
///
/// The signed bytes are `JCS(document)` where `proof` is present but has no `signatureValue`: no pre-hash
/// (Ed25519 hashes internally). `signatureValue` is plain base58btc, without a multibase `z`.
public enum JcsEd25519Signature2020 {
    /// The proof type.
    public static let proofType = "JcsEd25519Signature2020"

    /// The bytes that were signed: the document, with its proof minus `signatureValue`, in JCS form.
    public static func signingInput(_ document: JSONValue) throws(IdentityError) -> [UInt8] {
        guard let proof = document["proof"], proof.objectValue != nil else {
            throw IdentityError.missingProof
        }
        let unsigned = JSONFields.setting("proof", to: JSONFields.removing("signatureValue", from: proof), in: document)
        return try JSONFields.canonical(unsigned, field: "(document)")
    }

    /// Verifies the document's single proof with `publicKey`.
    public static func verify(_ document: JSONValue, publicKey: Ed25519.PublicKey) throws(IdentityError) {
        guard let proof = document["proof"] else {
            throw IdentityError.missingProof
        }
        let fields = try JSONFields(proof, path: "proof")
        let type = try fields.string("type")
        guard type == proofType else {
            throw IdentityError.unsupportedProofType(type)
        }
        // The DIF vectors sign proofs without a method; the method only names the key in errors here.
        let method = try fields.optionalString("verificationMethod") ?? "the given key"
        let text = try fields.string("signatureValue")
        let signature: [UInt8]
        do {
            signature = try Base58.decode(text)
        } catch {
            throw IdentityError.malformed(field: "proof.signatureValue", reason: "is not base58btc: \(error)")
        }
        guard signature.count == Ed25519.signatureByteCount else {
            throw IdentityError.malformed(
                field: "proof.signatureValue",
                reason: "must hold a 64-byte Ed25519 signature, not \(signature.count) bytes")
        }
        guard publicKey.isValidSignature(signature, for: try signingInput(document)) else {
            throw IdentityError.badSignature(method: method)
        }
    }
}
