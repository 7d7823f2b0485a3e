import CustosCore

/// Every failure of CustosIdentity: each case names what was checked, what was found, and what to do.
///
/// Messages are safe to show to the caller: they quote only public values (DIDs, field names, dates).
public enum IdentityError: CustosError, Equatable {
    /// A JSON field is missing or has the wrong shape; `field` is its path, e.g. `proof.created`.
    case malformed(field: String, reason: String)
    /// An Integration Services identity claim does not fit its type's schema; `field` is its path, e.g.
    /// `claim.category`, and `reason` says what it must be. Neither quotes the caller's values.
    case invalidClaim(field: String, reason: String)
    /// A string that should be a DID or DID URL is not one.
    case invalidDID(String, reason: String)
    /// The DID method is not one this resolver handles.
    case unsupportedDIDMethod(String)
    /// The resolver knows no document for this DID.
    case didNotFound(String)
    /// A caller-supplied resolver could not produce the document (network, storage, ...).
    case resolutionFailed(did: String, reason: String)
    /// The DID is deactivated; its keys no longer verify anything.
    case deactivated(String)
    /// The DID URL names no verification method in the controller document.
    case unknownVerificationMethod(String)
    /// The verification method exists but its key type cannot be used here.
    case unsupportedKeyType(method: String, type: String)
    /// The verification method is not listed under the relationship the proof purpose needs.
    case methodNotAuthorized(method: String, relationship: String)
    /// The verification method belongs to another DID than the issuer, holder or controller.
    case methodNotControlledBy(method: String, controller: String)
    /// The document carries no proof at all.
    case missingProof
    /// The proof `type` is not DataIntegrityProof or JcsEd25519Signature2020.
    case unsupportedProofType(String)
    /// The Data Integrity cryptosuite is not eddsa-jcs-2022.
    case unsupportedCryptosuite(String)
    /// The proof was made for another purpose than the one being verified.
    case wrongProofPurpose(expected: String, actual: String)
    /// The proof's `@context` is not a prefix of the document's `@context`.
    case contextMismatch
    /// The Ed25519 signature does not verify.
    case badSignature(method: String)
    /// The proof's `expires` time has passed.
    case proofExpired(expires: String)
    /// The proof claims to be created in the future.
    case proofCreatedInFuture(created: String)
    /// The credential or JWT is not valid yet.
    case notYetValid(validFrom: String)
    /// The credential or JWT has expired.
    case expired(validUntil: String)
    /// The status list marks the credential revoked.
    case revoked(statusList: String, index: Int)
    /// The status list marks the credential suspended.
    case suspended(statusList: String, index: Int)
    /// The status list could not be fetched.
    case statusUnavailable(statusList: String, reason: String)
    /// The status list credential or bitmap is invalid (bad proof, wrong type, wrong length, ...).
    case statusListInvalid(statusList: String, reason: String)
    /// The status index lies outside the list.
    case statusIndexOutOfRange(index: Int, size: Int)
    /// The entry's purpose differs from the list's purpose.
    case statusPurposeMismatch(entry: String, list: String)
    /// Every index of a status list is already assigned.
    case statusListFull(capacity: Int)
    /// No chain of VerifiedIdentityCredentials leads from a trusted root to the issuer.
    case untrustedIssuer(issuer: String, reasons: [String])
    /// The presentation proof has another challenge than the verifier issued (or none).
    case wrongChallenge(expected: String, actual: String?)
    /// The presentation proof is bound to another domain than the verifier's (or none).
    case wrongDomain(expected: String, actual: String?)
    /// A credential in a presentation is about someone else than the holder.
    case holderMismatch(holder: String, subject: String)
    /// A did:custos version does not extend the chain; `version` is its versionId when known.
    case versionChainBroken(version: Int?, reason: String)
    /// No version of the DID document existed at the requested time.
    case noVersionValidAt(String)
    /// zlib/gzip failed to compress or decompress.
    case compression(String)

    /// The category for the HTTP layer.
    public var kind: ErrorKind {
        switch self {
        case .didNotFound: return .notFound
        case .resolutionFailed, .statusUnavailable: return .unavailable
        case .statusListFull: return .conflict
        case .compression: return .invalidInput
        default: return .invalidInput
        }
    }

    /// A sentence that says what failed and what to do about it.
    public var description: String {
        switch self {
        case .malformed(let field, let reason):
            return "malformed input: field '\(field)' \(reason)"
        case .invalidClaim(let field, let reason):
            return "\(field) \(reason)"
        case .invalidDID(let value, let reason):
            return "'\(value)' is not a valid DID or DID URL: \(reason)"
        case .unsupportedDIDMethod(let method):
            return "DID method '\(method)' is not supported; supply the document or use did:key or did:custos"
        case .didNotFound(let did):
            return "no DID document is known for \(did); supply it (for example with --did-document)"
        case .resolutionFailed(let did, let reason):
            return "could not resolve \(did): \(reason)"
        case .deactivated(let did):
            return "\(did) is deactivated; its keys no longer verify anything"
        case .unknownVerificationMethod(let url):
            return "verification method \(url) is not in its controller's DID document"
        case .unsupportedKeyType(let method, let type):
            return "verification method \(method) has key type \(type), which cannot verify an Ed25519 proof"
        case .methodNotAuthorized(let method, let relationship):
            return "verification method \(method) is not listed under '\(relationship)' in its DID document"
        case .methodNotControlledBy(let method, let controller):
            return "verification method \(method) does not belong to \(controller)"
        case .missingProof:
            return "the document has no proof; sign it or send the secured form"
        case .unsupportedProofType(let type):
            return "proof type '\(type)' is not supported; use DataIntegrityProof (eddsa-jcs-2022)"
        case .unsupportedCryptosuite(let suite):
            return "cryptosuite '\(suite)' is not supported; use eddsa-jcs-2022"
        case .wrongProofPurpose(let expected, let actual):
            return "the proof purpose is '\(actual)' but '\(expected)' is required here"
        case .contextMismatch:
            return "the proof's @context is not a prefix of the document's @context; the document was altered"
        case .badSignature(let method):
            return "the signature by \(method) does not verify: the document was changed after signing "
                + "or signed with another key"
        case .proofExpired(let expires):
            return "the proof expired at \(expires)"
        case .proofCreatedInFuture(let created):
            return "the proof claims to be created at \(created), in the future; check the signer's clock"
        case .notYetValid(let validFrom):
            return "the credential is not valid before \(validFrom)"
        case .expired(let validUntil):
            return "the credential expired at \(validUntil)"
        case .revoked(let list, let index):
            return "the credential is revoked (index \(index) of status list \(list))"
        case .suspended(let list, let index):
            return "the credential is suspended (index \(index) of status list \(list))"
        case .statusUnavailable(let list, let reason):
            return "status list \(list) could not be fetched: \(reason)"
        case .statusListInvalid(let list, let reason):
            return "status list \(list) is invalid: \(reason)"
        case .statusIndexOutOfRange(let index, let size):
            return "status index \(index) is outside the status list of \(size) entries"
        case .statusPurposeMismatch(let entry, let list):
            return "the credential's status entry has purpose '\(entry)' but the status list has '\(list)'"
        case .statusListFull(let capacity):
            return "all \(capacity) indices of the status list are assigned; start a new status list"
        case .untrustedIssuer(let issuer, let reasons):
            let because = reasons.isEmpty ? "" : ": " + reasons.joined(separator: "; ")
            return "issuer \(issuer) is not trusted\(because)"
        case .wrongChallenge(let expected, let actual):
            if let actual {
                return "the presentation answers challenge '\(actual)', not the expected '\(expected)'; "
                    + "it may be replayed"
            }
            return "the presentation proof has no challenge; expected '\(expected)'"
        case .wrongDomain(let expected, let actual):
            if let actual {
                return "the presentation is bound to domain '\(actual)', not '\(expected)'"
            }
            return "the presentation proof has no domain; expected '\(expected)'"
        case .holderMismatch(let holder, let subject):
            return "a presented credential is about \(subject), not the holder \(holder)"
        case .versionChainBroken(let version, let reason):
            if let version {
                return "DID document version \(version) is invalid: \(reason)"
            }
            return "DID document version chain is invalid: \(reason)"
        case .noVersionValidAt(let time):
            return "no version of the DID document existed at \(time)"
        case .compression(let reason):
            return "compression failed: \(reason)"
        }
    }
}
