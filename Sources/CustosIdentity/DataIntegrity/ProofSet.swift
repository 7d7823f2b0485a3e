import CustosCore

/// Proof sets and proof chains (VC Data Integrity §4.2–4.3): how `proof` holds one or many proofs,
/// and which document each proof signs.
public enum ProofSet {
    /// The proofs of `document`: `proof` as an object is one proof, as an array a set.
    public static func proofs(of document: JSONValue) throws(IdentityError) -> [JSONValue] {
        switch document["proof"] {
        case nil, .null?:
            return []
        case .object?:
            return [document["proof"]!]
        case .array(let proofs)?:
            for (index, proof) in proofs.enumerated() where proof.objectValue == nil {
                throw IdentityError.malformed(field: "proof[\(index)]", reason: "must be a JSON object")
            }
            return proofs
        default:
            throw IdentityError.malformed(field: "proof", reason: "must be an object or an array of objects")
        }
    }

    /// The document `proof` signs: `document` without `proof`, plus, for a chained proof, the proofs its
    /// `previousProof` names, as an array under `proof` (the shape of the W3C proof-chain vectors).
    public static func securedInput(for proof: JSONValue, in document: JSONValue) throws(IdentityError) -> JSONValue {
        let unsecured = JSONFields.removing("proof", from: document)
        let fields = try JSONFields(proof, path: "proof")
        let previous = try fields.optionalStrings("previousProof")
        if previous.isEmpty {
            return unsecured
        }
        let all = try proofs(of: document)
        var matching: [JSONValue] = []
        for id in previous {
            guard let found = all.first(where: { $0["id"]?.stringValue == id }) else {
                throw IdentityError.malformed(
                    field: "proof.previousProof", reason: "names proof '\(id)', which the document does not hold")
            }
            matching.append(found)
        }
        return JSONFields.setting("proof", to: .array(matching), in: unsecured)
    }

    /// `document` with `proof` added: the only proof, or appended to the existing set.
    public static func adding(_ proof: JSONValue, to document: JSONValue) throws(IdentityError) -> JSONValue {
        let existing = try proofs(of: document)
        let value: JSONValue = existing.isEmpty ? proof : .array(existing + [proof])
        return JSONFields.setting("proof", to: value, in: document)
    }
}
