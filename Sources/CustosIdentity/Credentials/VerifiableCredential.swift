import CustosCore
import Foundation

/// Issuing W3C Verifiable Credentials 2.0 secured with `eddsa-jcs-2022`.
public enum VerifiableCredential {
    /// The VC Data Model 2.0 base context.
    public static let contextV2 = "https://www.w3.org/ns/credentials/v2"
    /// The VC Data Model 1.1 base context (accepted for import of IS credentials).
    public static let contextV1 = "https://www.w3.org/2018/credentials/v1"
    /// The base type.
    public static let type = "VerifiableCredential"
    /// The type of trust-chain link credentials (issuer vouches for the subject's identity).
    public static let verifiedIdentityType = "VerifiedIdentityCredential"

    /// Builds the credential from `draft` and signs it for `assertionMethod`.
    ///
    /// `validFrom` defaults to `created`. The signer's method must belong to the issuer DID.
    public static func issue(
        _ draft: CredentialDraft, signer: any ProofSigner, created: Date, proofExpires: Date? = nil
    ) throws(IdentityError) -> JSONValue {
        let method = try DIDURL(signer.verificationMethod)
        guard method.did == draft.issuer else {
            throw IdentityError.methodNotControlledBy(method: method.description, controller: draft.issuer.description)
        }
        var draft = draft
        if draft.validFrom == nil {
            draft.validFrom = created
        }
        let options = ProofOptions(purpose: .assertionMethod, created: created, expires: proofExpires)
        return try EddsaJcs2022.sign(draft.json(), options: options, signer: signer)
    }
}
