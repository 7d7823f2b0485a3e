import CustosCore
import CustosCrypto
import Foundation

/// Verifies the proofs of a secured JSON document: resolves each verification method through the
/// caller's resolver, checks that it belongs to the expected controller and is authorised for the proof
/// purpose, checks `created`/`expires`, `challenge` and `domain`, then the signature.
///
/// Legacy `JcsEd25519Signature2020` proofs (IS import) carry no purpose; their method only has to be in
/// the controller's document, as IOTA Identity 0.6 required.
public struct DataIntegrityVerifier: Sendable {
    /// Resolves verification methods.
    public let resolver: any DIDResolver

    /// A verifier resolving keys through `resolver`.
    public init(resolver: any DIDResolver) {
        self.resolver = resolver
    }

    /// Verifies the proofs of `document` at time `now`; returns the proofs that verified.
    ///
    /// With ``ProofExpectation/Policy/all`` the first failure is thrown; with `.any` the first failure
    /// is thrown only when no proof verifies.
    public func verify(
        _ document: JSONValue, expecting expectation: ProofExpectation, now: Date
    ) async throws(IdentityError) -> [VerifiedProof] {
        let proofs = try ProofSet.proofs(of: document)
        guard !proofs.isEmpty else {
            throw IdentityError.missingProof
        }
        var verified: [VerifiedProof] = []
        var firstFailure: IdentityError?
        for (index, proof) in proofs.enumerated() {
            let path = proofs.count == 1 ? "proof" : "proof[\(index)]"
            do throws(IdentityError) {
                verified.append(try await verifyOne(proof, path: path, in: document, expectation, now: now))
            } catch {
                if expectation.policy == .all {
                    throw error
                }
                firstFailure = firstFailure ?? error
            }
        }
        if verified.isEmpty, let firstFailure {
            throw firstFailure
        }
        return verified
    }

    private func verifyOne(
        _ proof: JSONValue, path: String, in document: JSONValue, _ expectation: ProofExpectation, now: Date
    ) async throws(IdentityError) -> VerifiedProof {
        let fields = try JSONFields(proof, path: path)
        let type = try fields.string("type")
        let legacy = type == JcsEd25519Signature2020.proofType
        guard type == EddsaJcs2022.proofType || (legacy && expectation.acceptsLegacyProofs) else {
            throw IdentityError.unsupportedProofType(type)
        }
        var suite: String?
        if !legacy {
            let name = try fields.string("cryptosuite")
            guard name == EddsaJcs2022.cryptosuite else {
                throw IdentityError.unsupportedCryptosuite(name)
            }
            suite = name
        }
        // Legacy proofs were written without a purpose; every Data Integrity proof must state one.
        let purpose = try legacy ? fields.optionalString("proofPurpose") : fields.string("proofPurpose")
        if let actual = purpose {
            guard actual == expectation.purpose.rawValue else {
                throw IdentityError.wrongProofPurpose(expected: expectation.purpose.rawValue, actual: actual)
            }
        }
        // `created` is optional in Data Integrity, but must be a date-time when present.
        let created = try fields.optionalDate("created")
        if let created, created.timeIntervalSince(now) > expectation.allowedClockSkew {
            throw IdentityError.proofCreatedInFuture(created: JSONFields.timestamp(created))
        }
        if let expires = try fields.optionalDate("expires"), now > expires {
            throw IdentityError.proofExpired(expires: JSONFields.timestamp(expires))
        }
        try checkChallengeAndDomain(fields, expectation)

        let methodURL = try DIDURL(try fields.string("verificationMethod"), relativeTo: expectation.controller)
        if let controller = expectation.controller, methodURL.did != controller {
            throw IdentityError.methodNotControlledBy(method: methodURL.description, controller: controller.description)
        }
        let controllerDocument = try await resolver.resolve(methodURL.did)
        guard let method = controllerDocument.method(methodURL) else {
            throw IdentityError.unknownVerificationMethod(methodURL.description)
        }
        if !legacy, !controllerDocument.isAuthorized(methodURL, for: expectation.purpose) {
            throw IdentityError.methodNotAuthorized(
                method: methodURL.description, relationship: expectation.purpose.rawValue)
        }
        let key = try method.ed25519Key()
        if legacy {
            try JcsEd25519Signature2020.verify(JSONFields.setting("proof", to: proof, in: document), publicKey: key)
        } else {
            try EddsaJcs2022.verify(proof: proof, in: document, publicKey: key)
        }
        return VerifiedProof(
            json: proof, type: type, cryptosuite: suite, method: method, purpose: purpose, created: created)
    }

    private func checkChallengeAndDomain(_ fields: JSONFields, _ expectation: ProofExpectation) throws(IdentityError) {
        if let expected = expectation.challenge {
            let actual = try fields.optionalString("challenge")
            guard actual == expected else {
                throw IdentityError.wrongChallenge(expected: expected, actual: actual)
            }
        }
        if let expected = expectation.domain {
            // Data Integrity allows one domain or a list of them.
            let actual = try fields.optionalStrings("domain")
            guard actual.contains(expected) else {
                throw IdentityError.wrongDomain(
                    expected: expected, actual: actual.isEmpty ? nil : actual.joined(separator: ", "))
            }
        }
    }
}
