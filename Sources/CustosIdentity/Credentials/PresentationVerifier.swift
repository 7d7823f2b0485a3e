import CustosCore
import Foundation

/// Verifies presentations: the holder's `authentication` proof with the expected challenge and domain,
/// every embedded credential (Data Integrity or enveloped vc+jwt), and optionally that the holder is
/// the subject of each credential.
public struct PresentationVerifier: Sendable {
    /// Verifies the presented credentials (and resolves the holder through its resolver).
    public let credentialVerifier: CredentialVerifier

    /// A presentation verifier that checks credentials with `credentialVerifier`.
    public init(credentialVerifier: CredentialVerifier) {
        self.credentialVerifier = credentialVerifier
    }

    /// Verifies `presentation` at `now`.
    ///
    /// - Parameters:
    ///   - challenge: the challenge this verifier issued; when set, the proof must carry exactly it.
    ///   - domain: this verifier's domain; when set, the proof must name it.
    ///   - requiresHolderAsSubject: when true, the holder must be a subject of every credential.
    public func verify(
        _ presentation: JSONValue,
        challenge: String?,
        domain: String?,
        requiresHolderAsSubject: Bool = false,
        now: Date
    ) async throws(IdentityError) -> VerifiedPresentation {
        var log = VerificationLog()
        return try await verify(
            presentation, challenge: challenge, domain: domain, requiresHolderAsSubject: requiresHolderAsSubject,
            now: now,
            log: &log)
    }

    func verify(
        _ presentation: JSONValue,
        challenge: String?,
        domain: String?,
        requiresHolderAsSubject: Bool,
        now: Date,
        log: inout VerificationLog
    ) async throws(IdentityError) -> VerifiedPresentation {
        let holder: DID
        let entries: [JSONValue]
        do throws(IdentityError) {
            (holder, entries) = try structure(presentation)
            log.passed("structure", "VC Data Model 2.0 presentation by \(holder) with \(entries.count) credential(s)")
        } catch {
            log.failed("structure", error)
            throw error
        }
        let expectation = ProofExpectation(
            purpose: .authentication,
            controller: holder,
            challenge: challenge,
            domain: domain,
            policy: credentialVerifier.options.proofPolicy,
            acceptsLegacyProofs: false,
            allowedClockSkew: credentialVerifier.options.allowedClockSkew)
        let proofs: [VerifiedProof]
        do throws(IdentityError) {
            proofs = try await DataIntegrityVerifier(resolver: credentialVerifier.resolver).verify(
                presentation, expecting: expectation, now: now)
            var bound: [String] = []
            if let challenge {
                bound.append("challenge '\(challenge)'")
            }
            if let domain {
                bound.append("domain '\(domain)'")
            }
            let binding = bound.isEmpty ? "" : ", bound to " + bound.joined(separator: " and ")
            log.passed("proof", proofs.map(\.summary).joined(separator: "; ") + binding)
        } catch {
            log.failed("proof", error)
            throw error
        }
        var credentials: [VerifiedCredential] = []
        for (index, entry) in entries.enumerated() {
            var inner = VerificationLog()
            inner.prefix = "credential[\(index)] "
            defer { log.append(contentsOf: inner) }
            let credential: VerifiedCredential
            if entry["type"].flatMap({ try? JSONFields.strings($0, field: "type") })?.contains(
                VerifiablePresentation.envelopedCredentialType) == true
            {
                credential = try await verifyEnveloped(entry, index: index, now: now, log: &inner)
            } else {
                credential = try await credentialVerifier.verify(entry, now: now, log: &inner)
            }
            if requiresHolderAsSubject {
                guard credential.subjectIDs.contains(holder.description) else {
                    let error = IdentityError.holderMismatch(
                        holder: holder.description, subject: credential.subjectIDs.first ?? "(a subject without id)")
                    inner.failed("holder", error)
                    throw error
                }
                inner.passed("holder", "the holder \(holder) is the credential's subject")
            }
            credentials.append(credential)
        }
        return VerifiedPresentation(
            json: presentation, holder: holder, proofs: proofs, credentials: credentials, checks: log.checks)
    }

    private func structure(_ presentation: JSONValue) throws(IdentityError) -> (DID, [JSONValue]) {
        let fields = try JSONFields(presentation, path: "")
        let context = fields["@context"]
        guard (context?.arrayValue?.first ?? context)?.stringValue == VerifiableCredential.contextV2 else {
            throw IdentityError.malformed(
                field: "@context", reason: "must start with '\(VerifiableCredential.contextV2)'")
        }
        guard try fields.strings("type").contains(VerifiablePresentation.type) else {
            throw IdentityError.malformed(field: "type", reason: "must include '\(VerifiablePresentation.type)'")
        }
        // The holder is a DID string, or an object whose id is one.
        let holderText: String
        if let text = fields["holder"]?.stringValue {
            holderText = text
        } else {
            holderText = try JSONFields(fields["holder"] ?? .null, path: "holder").string("id")
        }
        let holder: DID
        do throws(IdentityError) {
            holder = try DID(holderText)
        } catch {
            throw IdentityError.malformed(field: "holder", reason: "must be the holder's DID, got '\(holderText)'")
        }
        return (holder, fields.list("verifiableCredential"))
    }

    private func verifyEnveloped(
        _ entry: JSONValue, index: Int, now: Date, log: inout VerificationLog
    ) async throws(IdentityError) -> VerifiedCredential {
        let id = try JSONFields(entry, path: "verifiableCredential[\(index)]").string("id")
        guard id.hasPrefix(VCJWT.envelopePrefix) else {
            let error = IdentityError.malformed(
                field: "verifiableCredential[\(index)].id", reason: "must be a '\(VCJWT.envelopePrefix)…' data URL")
            log.failed("structure", error)
            throw error
        }
        return try await credentialVerifier.verify(
            jwt: String(id.dropFirst(VCJWT.envelopePrefix.count)), now: now, log: &log)
    }
}
