import CustosCore
import Foundation

/// A proof that verified, with the method and document that verified it.
public struct VerifiedProof: Sendable {
    /// The proof object.
    public let json: JSONValue
    /// `DataIntegrityProof` or `JcsEd25519Signature2020`.
    public let type: String
    /// The cryptosuite, for Data Integrity proofs.
    public let cryptosuite: String?
    /// The verification method whose key verified the signature.
    public let method: VerificationMethod
    /// The proof purpose as written (legacy proofs may have none).
    public let purpose: String?
    /// The proof's `created` time, if given.
    public let created: Date?

    /// A one-line summary, e.g. `DataIntegrityProof/eddsa-jcs-2022 by did:key:…#… (assertionMethod)`.
    public var summary: String {
        let suite = cryptosuite.map { "/" + $0 } ?? ""
        let why = purpose.map { " for \($0)" } ?? ""
        return "\(type)\(suite) by \(method.id)\(why)"
    }
}
