import CustosCore
import Foundation

/// Signing W3C Verifiable Presentations 2.0 with `eddsa-jcs-2022` for `authentication`.
public enum VerifiablePresentation {
    /// The base type.
    public static let type = "VerifiablePresentation"
    /// The type of a credential wrapped in a data URL (e.g. a vc+jwt) inside a presentation.
    public static let envelopedCredentialType = "EnvelopedVerifiableCredential"

    /// Signs the presentation as the holder, binding it to the verifier's `challenge` and `domain`.
    ///
    /// The signer's method must belong to the holder DID.
    public static func sign(
        _ draft: PresentationDraft,
        signer: any ProofSigner,
        challenge: String?,
        domain: String?,
        created: Date,
        expires: Date? = nil
    ) throws(IdentityError) -> JSONValue {
        let method = try DIDURL(signer.verificationMethod)
        guard method.did == draft.holder else {
            throw IdentityError.methodNotControlledBy(method: method.description, controller: draft.holder.description)
        }
        let options = ProofOptions(
            purpose: .authentication, created: created, expires: expires, challenge: challenge, domain: domain)
        return try EddsaJcs2022.sign(draft.json(), options: options, signer: signer)
    }
}
