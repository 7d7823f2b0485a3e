import CustosCore
import Foundation

/// Decides whether a DID is trusted: it is a trusted root, or a chain of at most ``maximumDepth``
/// verified `VerifiedIdentityCredential`s leads from a trusted root to it (each credential's issuer
/// vouching for its subject).
///
/// Every link credential is fully verified (proof, validity, status) with ``credentialVerifier``;
/// rejected ones are reported in the reasons when no chain is found.
public struct TrustChainEvaluator: Sendable {
    /// The DIDs trusted without a chain.
    public let trustedRoots: Set<DID>
    /// The most links a chain may have.
    public let maximumDepth: Int
    /// Verifies link credentials.
    public let credentialVerifier: CredentialVerifier

    /// An evaluator over `trustedRoots`, allowing chains of up to `maximumDepth` links (default 3).
    public init(trustedRoots: Set<DID>, maximumDepth: Int = 3, credentialVerifier: CredentialVerifier) {
        self.trustedRoots = trustedRoots
        self.maximumDepth = maximumDepth
        self.credentialVerifier = credentialVerifier
    }

    /// Evaluates `did` against the candidate link credentials at time `now`.
    public func evaluate(_ did: DID, credentials: [JSONValue], now: Date) async -> TrustDecision {
        if trustedRoots.contains(did) {
            return .trusted(chain: [])
        }
        // Breadth-first search backwards from `did` finds a shortest chain. It goes past the maximum
        // depth only to say that a longer chain exists.
        var reasons: [String] = []
        var verdicts: [Int: TrustLink?] = [:]
        var parent: [DID: (link: TrustLink, next: DID)] = [:]
        var frontier: [DID] = [did]
        var seen: Set<DID> = [did]
        var depth = 0
        while !frontier.isEmpty, depth < max(maximumDepth, 0) + credentials.count {
            depth += 1
            var nextFrontier: [DID] = []
            for current in frontier {
                for (index, credential) in credentials.enumerated()
                where TrustChainEvaluator.names(credential, asSubject: current) {
                    if verdicts[index] == nil {
                        verdicts[index] = await verifyLink(credential, now: now, reasons: &reasons)
                    }
                    guard let link = verdicts[index] ?? nil, link.subject == current, !seen.contains(link.issuer) else {
                        continue
                    }
                    seen.insert(link.issuer)
                    parent[link.issuer] = (link, current)
                    if trustedRoots.contains(link.issuer) {
                        let chain = TrustChainEvaluator.chain(from: link.issuer, parents: parent)
                        if chain.count <= maximumDepth {
                            return .trusted(chain: chain)
                        }
                        return .untrusted(
                            reasons: reasons + [
                                "the shortest chain from trusted root \(link.issuer) has \(chain.count) links, "
                                    + "more than the maximum of \(maximumDepth)"
                            ])
                    }
                    nextFrontier.append(link.issuer)
                }
            }
            frontier = nextFrontier
        }
        return .untrusted(
            reasons: reasons + ["no chain of valid VerifiedIdentityCredentials leads from a trusted root to \(did)"])
    }

    /// Whether `credential` claims `subject` as its credentialSubject id (before verification).
    private static func names(_ credential: JSONValue, asSubject subject: DID) -> Bool {
        let subjects: [JSONValue]
        switch credential["credentialSubject"] {
        case .array(let elements)?: subjects = elements
        case let value?: subjects = [value]
        case nil: subjects = []
        }
        return subjects.contains { $0["id"]?.stringValue == subject.description }
    }

    /// The verified link, or nil with the reason recorded.
    private func verifyLink(_ credential: JSONValue, now: Date, reasons: inout [String]) async -> TrustLink? {
        let label = credential["id"]?.stringValue ?? "without id"
        let claimedIssuer = credential["issuer"]?.stringValue ?? credential["issuer"]?["id"]?.stringValue ?? "?"
        let claimedSubject = credential["credentialSubject"]?["id"]?.stringValue ?? "?"
        let edge = "link credential \(label) (\(claimedIssuer) → \(claimedSubject))"
        do throws(IdentityError) {
            let verified = try await credentialVerifier.verify(credential, now: now)
            guard verified.types.contains(VerifiableCredential.verifiedIdentityType) else {
                reasons.append("\(edge) is not a \(VerifiableCredential.verifiedIdentityType)")
                return nil
            }
            guard verified.subjectIDs.count == 1, let subject = try? DID(verified.subjectIDs[0]) else {
                reasons.append("\(edge) must have exactly one subject, identified by a DID")
                return nil
            }
            return TrustLink(issuer: verified.issuer, subject: subject, credentialID: verified.id)
        } catch {
            reasons.append("\(edge) was rejected: \(error.description)")
            return nil
        }
    }

    /// The links from `root` down to the evaluated DID.
    private static func chain(from root: DID, parents: [DID: (link: TrustLink, next: DID)]) -> [TrustLink] {
        var links: [TrustLink] = []
        var current = root
        while let step = parents[current] {
            links.append(step.link)
            current = step.next
        }
        return links
    }
}
