import Foundation

/// What a verifier requires of a document's proofs.
public struct ProofExpectation: Sendable {
    /// Whether every proof of a proof set must verify, or one is enough.
    public enum Policy: Sendable {
        /// Every proof must verify (the default: a set means every signer vouches).
        case all
        /// At least one proof must verify; the failures of the others are ignored.
        case any
    }

    /// The required proof purpose; the signing method must be listed under this relationship.
    public var purpose: VerificationRelationship
    /// The DID whose methods may sign (the issuer, holder or DID subject); `nil` accepts any controller.
    public var controller: DID?
    /// The challenge the proof must carry, if the verifier issued one.
    public var challenge: String?
    /// The domain the proof must carry, if the verifier requires one.
    public var domain: String?
    /// How proof sets are judged.
    public var policy: Policy
    /// Whether legacy `JcsEd25519Signature2020` proofs (IS import) are accepted.
    public var acceptsLegacyProofs: Bool
    /// How far in the future a proof's `created` may lie, for clock differences.
    public var allowedClockSkew: TimeInterval

    /// An expectation for `purpose`, optionally bound to a controller DID, challenge and domain.
    public init(
        purpose: VerificationRelationship,
        controller: DID? = nil,
        challenge: String? = nil,
        domain: String? = nil,
        policy: Policy = .all,
        acceptsLegacyProofs: Bool = true,
        allowedClockSkew: TimeInterval = 300
    ) {
        self.purpose = purpose
        self.controller = controller
        self.challenge = challenge
        self.domain = domain
        self.policy = policy
        self.acceptsLegacyProofs = acceptsLegacyProofs
        self.allowedClockSkew = allowedClockSkew
    }
}
