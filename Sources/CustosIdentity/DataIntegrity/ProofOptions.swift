import CustosCore
import Foundation

/// The options of a new Data Integrity proof; the verification method comes from the signer.
public struct ProofOptions: Sendable {
    /// Why the proof is made; the signing method must be listed under this relationship.
    public var purpose: VerificationRelationship
    /// When the proof is made (written with whole seconds).
    public var created: Date
    /// When the proof stops being acceptable, if ever.
    public var expires: Date?
    /// A verifier's challenge, for presentations (replay protection).
    public var challenge: String?
    /// The verifier's domain, for presentations.
    public var domain: String?
    /// An optional nonce.
    public var nonce: String?
    /// An optional proof id, needed when a later proof chains to this one.
    public var id: String?
    /// Ids of existing proofs this proof covers (a proof chain); empty for an independent proof.
    public var previousProof: [String]

    /// Options for a proof made at `created` for `purpose`.
    public init(
        purpose: VerificationRelationship,
        created: Date,
        expires: Date? = nil,
        challenge: String? = nil,
        domain: String? = nil,
        nonce: String? = nil,
        id: String? = nil,
        previousProof: [String] = []
    ) {
        self.purpose = purpose
        self.created = created
        self.expires = expires
        self.challenge = challenge
        self.domain = domain
        self.nonce = nonce
        self.id = id
        self.previousProof = previousProof
    }

    /// The proof configuration (the proof without its value) for `cryptosuite`.
    func configuration(verificationMethod: String, cryptosuite: String) -> [String: JSONValue] {
        var members: [String: JSONValue] = [
            "type": "DataIntegrityProof",
            "cryptosuite": .string(cryptosuite),
            "created": .string(JSONFields.timestamp(created)),
            "verificationMethod": .string(verificationMethod),
            "proofPurpose": .string(purpose.rawValue),
        ]
        if let expires {
            members["expires"] = .string(JSONFields.timestamp(expires))
        }
        if let challenge {
            members["challenge"] = .string(challenge)
        }
        if let domain {
            members["domain"] = .string(domain)
        }
        if let nonce {
            members["nonce"] = .string(nonce)
        }
        if let id {
            members["id"] = .string(id)
        }
        if previousProof.count == 1 {
            members["previousProof"] = .string(previousProof[0])
        } else if !previousProof.isEmpty {
            members["previousProof"] = .array(previousProof.map { .string($0) })
        }
        return members
    }
}
