import CustosCore
import Foundation

/// A credential that passed verification, with what was checked.
public struct VerifiedCredential: Sendable {
    /// How the credential was secured.
    public enum Format: String, Sendable {
        /// Embedded Data Integrity proof(s), eddsa-jcs-2022.
        case dataIntegrity
        /// Legacy JcsEd25519Signature2020 proof (Integration Services import).
        case legacyJcsEd25519Signature2020
        /// VC-JOSE compact JWS (`vc+jwt`).
        case vcJWT
    }

    /// The credential JSON (for vc+jwt, the JWS payload).
    public let json: JSONValue
    /// How it was secured.
    public let format: Format
    /// The credential id, if any.
    public let id: String?
    /// The issuer DID.
    public let issuer: DID
    /// The credential types.
    public let types: [String]
    /// The `id`s of the credential subjects.
    public let subjectIDs: [String]
    /// Start of validity, if stated.
    public let validFrom: Date?
    /// End of validity, if stated.
    public let validUntil: Date?
    /// The proofs that verified (for vc+jwt, the JWS signature as a pseudo-proof).
    public let proofs: [VerifiedProof]
    /// Every check made, in order.
    public let checks: [VerificationCheck]
}
