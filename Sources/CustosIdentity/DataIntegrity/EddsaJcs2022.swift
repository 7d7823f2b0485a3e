import CustosCore
import CustosCrypto

/// The `eddsa-jcs-2022` Data Integrity cryptosuite (W3C vc-di-eddsa), exactly as specified:
///
/// `hashData = SHA-256(JCS(proofConfig)) ‖ SHA-256(JCS(document without proof))`, signed with pure Ed25519,
/// `proofValue = "z" + base58btc(signature)`. The proof configuration is the proof without `proofValue`,
/// carrying a copy of the document's `@context` when it has one.
public enum EddsaJcs2022 {
    /// The cryptosuite name.
    public static let cryptosuite = "eddsa-jcs-2022"
    /// The proof type.
    public static let proofType = "DataIntegrityProof"

    /// Signs `document` and returns it with the new proof added (to any proofs it already has).
    public static func sign(
        _ document: JSONValue, options: ProofOptions, signer: any ProofSigner
    ) throws(IdentityError) -> JSONValue {
        let proof = try createProof(for: document, options: options, signer: signer)
        return try ProofSet.adding(proof, to: document)
    }

    /// The proof object for `document` (which may already hold proofs; see ``ProofSet``).
    public static func createProof(
        for document: JSONValue, options: ProofOptions, signer: any ProofSigner
    ) throws(IdentityError) -> JSONValue {
        guard document.objectValue != nil else {
            throw IdentityError.malformed(field: "(document)", reason: "must be a JSON object")
        }
        var config = options.configuration(verificationMethod: signer.verificationMethod, cryptosuite: cryptosuite)
        if let context = document["@context"] {
            config["@context"] = context
        }
        let input = try ProofSet.securedInput(for: .object(config), in: document)
        let signature = try signer.sign(try hashData(document: input, proofConfiguration: .object(config)))
        config["proofValue"] = .string(Multibase.encode(signature, base: .base58btc))
        return .object(config)
    }

    /// The 64 bytes that are signed: the proof configuration's hash first, then the document's.
    public static func hashData(document: JSONValue, proofConfiguration: JSONValue) throws(IdentityError) -> [UInt8] {
        let proofHash = SHA256.hash(try JSONFields.canonical(proofConfiguration, field: "proof"))
        let documentHash = SHA256.hash(try JSONFields.canonical(document, field: "(document)"))
        return proofHash + documentHash
    }

    /// Checks one proof's signature over `document` (the secured document holding it) with `publicKey`.
    ///
    /// This is the cryptographic part only; ``DataIntegrityVerifier`` adds key resolution, purpose,
    /// authorisation and time checks.
    public static func verify(
        proof: JSONValue, in document: JSONValue, publicKey: Ed25519.PublicKey
    ) throws(IdentityError) {
        let fields = try JSONFields(proof, path: "proof")
        let type = try fields.string("type")
        guard type == proofType else {
            throw IdentityError.unsupportedProofType(type)
        }
        let suite = try fields.string("cryptosuite")
        guard suite == cryptosuite else {
            throw IdentityError.unsupportedCryptosuite(suite)
        }
        let method = try fields.string("verificationMethod")
        let signature = try proofValue(fields)
        var input = try ProofSet.securedInput(for: proof, in: document)
        let config = JSONFields.removing("proofValue", from: proof)
        if let proofContext = config["@context"] {
            // The document's context must start with the proof's, so that a signed context cannot be
            // swapped for another meaning; then the proof's copy is what was hashed.
            let documentContext = input["@context"].map(contextList) ?? []
            let expected = contextList(proofContext)
            guard documentContext.count >= expected.count, Array(documentContext.prefix(expected.count)) == expected
            else {
                throw IdentityError.contextMismatch
            }
            input = JSONFields.setting("@context", to: proofContext, in: input)
        }
        let message = try hashData(document: input, proofConfiguration: config)
        guard publicKey.isValidSignature(signature, for: message) else {
            throw IdentityError.badSignature(method: method)
        }
    }

    private static func proofValue(_ fields: JSONFields) throws(IdentityError) -> [UInt8] {
        let text = try fields.string("proofValue")
        let field = fields.field("proofValue")
        guard text.first == "z" else {
            throw IdentityError.malformed(field: field, reason: "must be multibase base58btc (start with 'z')")
        }
        let bytes: [UInt8]
        do {
            bytes = try Base58.decode(text.dropFirst())
        } catch {
            throw IdentityError.malformed(field: field, reason: "is not base58btc: \(error)")
        }
        guard bytes.count == Ed25519.signatureByteCount else {
            throw IdentityError.malformed(
                field: field, reason: "must hold a 64-byte Ed25519 signature, not \(bytes.count) bytes")
        }
        return bytes
    }

    private static func contextList(_ value: JSONValue) -> [JSONValue] {
        if case .array(let elements) = value {
            return elements
        }
        return [value]
    }
}
