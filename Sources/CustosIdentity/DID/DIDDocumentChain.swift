import CustosCore
import CustosCrypto
import Foundation

/// A verified chain of did:custos document versions.
///
/// Rules for version *n* (see docs/identity.md):
/// - its `id` is the same did:custos as version 1, and version 1's signing key hashes to the tag;
/// - it has exactly one `eddsa-jcs-2022` proof for `capabilityInvocation`, by a capabilityInvocation
///   method of version *n − 1* (version 1: of itself), and the signature verifies;
/// - `custos.versionId` is *n*, `custos.created` equals version 1's, `custos.updated` is strictly later
///   than version *n − 1*'s, and `custos.previousVersionHash` is the hash of version *n − 1*;
/// - no version follows a deactivating one.
public struct DIDDocumentChain: Sendable {
    /// One verified version.
    public struct Version: Sendable {
        /// The signed version as published.
        public let json: JSONValue
        /// The DID document (the version without `proof` and `custos`).
        public let document: DIDDocument
        /// The version's chain metadata.
        public let metadata: DocumentVersionMetadata
        /// This version's hash, which the next version must name.
        public let hash: String
        /// The method that signed this version.
        public let signedBy: DIDURL
    }

    /// A candidate that did not extend the chain, with the reason.
    public struct Rejection: Sendable {
        /// Its position in the input.
        public let index: Int
        /// Why it was rejected.
        public let error: IdentityError
    }

    /// The DID.
    public let did: CustosDID
    /// The verified versions, oldest first.
    public let versions: [Version]
    /// Candidates left out when assembling (always empty for ``init(verifying:)``).
    public let rejected: [Rejection]

    /// Verifies `versions`, oldest first; every one must extend the chain.
    public init(verifying versions: [JSONValue]) throws(IdentityError) {
        guard !versions.isEmpty else {
            throw IdentityError.versionChainBroken(version: nil, reason: "no versions were given")
        }
        var accepted: [Version] = []
        for version in versions {
            accepted.append(try DIDDocumentChain.check(version, after: accepted.last))
        }
        self.did = try CustosDID(accepted[0].document.id)
        self.versions = accepted
        self.rejected = []
    }

    /// Builds the chain from candidates in ledger order, skipping candidates that do not extend it
    /// (spam, forgeries, forks): at each step the first valid successor wins.
    ///
    /// Throws when no candidate is a valid version 1.
    public init(assembling candidates: [JSONValue]) throws(IdentityError) {
        var remaining = Array(candidates.enumerated())
        var accepted: [Version] = []
        var extended = true
        while extended {
            extended = false
            for (position, candidate) in remaining.enumerated() {
                if let version = try? DIDDocumentChain.check(candidate.element, after: accepted.last) {
                    accepted.append(version)
                    remaining.remove(at: position)
                    extended = true
                    break
                }
            }
        }
        guard let first = accepted.first else {
            // Report why the first candidate failed: it is usually the intended version 1.
            if let candidate = candidates.first {
                _ = try DIDDocumentChain.check(candidate, after: nil)
            }
            throw IdentityError.versionChainBroken(version: 1, reason: "no valid self-signed version 1 was found")
        }
        var rejections: [Rejection] = []
        for (index, candidate) in remaining {
            do throws(IdentityError) {
                _ = try DIDDocumentChain.check(candidate, after: accepted.last)
            } catch {
                rejections.append(Rejection(index: index, error: error))
            }
        }
        self.did = try CustosDID(first.document.id)
        self.versions = accepted
        self.rejected = rejections
    }

    /// The newest version.
    public var latest: Version {
        versions[versions.count - 1]
    }

    /// Whether the newest version deactivates the DID.
    public var isDeactivated: Bool {
        latest.metadata.deactivated
    }

    /// The version in force at `date`: the newest whose `updated` is not after `date`.
    public func version(at date: Date) throws(IdentityError) -> Version {
        guard let found = versions.last(where: { $0.metadata.updated <= date }) else {
            throw IdentityError.noVersionValidAt(JSONFields.timestamp(date))
        }
        return found
    }

    /// Verifies `json` as the successor of `previous` (or as version 1 when `previous` is nil).
    static func check(_ json: JSONValue, after previous: Version?) throws(IdentityError) -> Version {
        let claimed = json[DocumentVersionMetadata.member]?["versionId"]?.intValue
        do throws(IdentityError) {
            return try checkUnlabelled(json, after: previous)
        } catch {
            if case .versionChainBroken = error {
                throw error
            }
            throw IdentityError.versionChainBroken(version: claimed, reason: error.description)
        }
    }

    private static func checkUnlabelled(_ json: JSONValue, after previous: Version?) throws(IdentityError) -> Version {
        let metadata = try DocumentVersionMetadata(version: json)
        let stripped = JSONFields.removing(
            DocumentVersionMetadata.member, from: JSONFields.removing("proof", from: json))
        let document = try DIDDocument(json: stripped)
        let did = try CustosDID(document.id)
        let number = metadata.versionId
        func broken(_ reason: String) -> IdentityError {
            IdentityError.versionChainBroken(version: number, reason: reason)
        }
        if let previous {
            guard document.id == previous.document.id else {
                throw broken("it describes \(document.id), not \(previous.document.id)")
            }
            guard !previous.metadata.deactivated else {
                throw broken("version \(previous.metadata.versionId) deactivated the DID; nothing may follow it")
            }
            guard number == previous.metadata.versionId + 1 else {
                let expected = previous.metadata.versionId + 1
                throw broken("it does not follow version \(expected - 1) (expected versionId \(expected))")
            }
            guard metadata.created == previous.metadata.created else {
                throw broken("custos.created differs from the DID's creation time")
            }
            guard metadata.updated > previous.metadata.updated else {
                throw broken("custos.updated is not later than version \(previous.metadata.versionId)'s")
            }
            guard metadata.previousVersionHash == previous.hash else {
                throw broken(
                    "custos.previousVersionHash does not match the hash of version \(previous.metadata.versionId)")
            }
        } else {
            guard number == 1 else {
                throw broken("the chain must start with versionId 1")
            }
            guard metadata.previousVersionHash == nil else {
                throw broken("version 1 must not name a previous version")
            }
            guard metadata.updated == metadata.created else {
                throw broken("version 1 must have custos.updated equal to custos.created")
            }
        }
        let proofs = try ProofSet.proofs(of: json)
        guard proofs.count == 1 else {
            throw proofs.isEmpty
                ? IdentityError.missingProof : broken("it must carry exactly one proof, not \(proofs.count)")
        }
        let proof = try JSONFields(proofs[0], path: "proof")
        let purpose = try proof.string("proofPurpose")
        guard purpose == VerificationRelationship.capabilityInvocation.rawValue else {
            throw IdentityError.wrongProofPurpose(expected: "capabilityInvocation", actual: purpose)
        }
        let methodURL = try DIDURL(try proof.string("verificationMethod"), relativeTo: document.id)
        guard methodURL.did == document.id else {
            throw IdentityError.methodNotControlledBy(
                method: methodURL.description, controller: document.id.description)
        }
        // Version 1 is checked against itself; later versions against the version they replace.
        let signing = previous?.document ?? document
        guard let method = signing.method(methodURL) else {
            throw IdentityError.unknownVerificationMethod(methodURL.description)
        }
        guard signing.isAuthorized(methodURL, for: .capabilityInvocation) else {
            throw IdentityError.methodNotAuthorized(method: methodURL.description, relationship: "capabilityInvocation")
        }
        let key = try method.ed25519Key()
        if previous == nil, !did.isDerived(from: key) {
            throw broken("it is signed by \(methodURL), whose key does not hash to the tag \(did.tag)")
        }
        try EddsaJcs2022.verify(proof: proofs[0], in: json, publicKey: key)
        return Version(
            json: json, document: document, metadata: metadata, hash: try CustosDocumentVersion.hash(of: json),
            signedBy: methodURL)
    }
}
