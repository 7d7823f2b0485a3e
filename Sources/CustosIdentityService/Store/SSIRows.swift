import CustosCore
import Foundation

/// A tenant's identity setup: its did:custos network, trust root and public gateway URL.
struct SSITenantRow: Sendable {
    let tenant: TenantID
    let network: String
    let trustRoot: String
    let gatewayURL: String
    let created: Date
}

/// An identity registered with a tenant (is-api.md §3.1); `claim` is the exact JSON the client sent.
struct IdentityRow: Sendable {
    var did: String
    var username: String
    var registrationDate: Date
    var creator: String?
    var role: String
    var claim: [UInt8]?
    var claimType: String?
    var hidden: Bool
    var isServer: Bool
}

/// An identity's keys held in custody, sealed under the tenant's ssi data key.
struct SealedIdentityKeys: Sendable {
    let sign: [UInt8]
    let encrypt: [UInt8]
}

/// One published version of a DID document.
struct DocumentRow: Sendable {
    let tenant: TenantID
    let did: String
    let version: Int
    /// The canonical (RFC 8785) bytes of the signed version, as anchored on the ledger.
    let document: [UInt8]
    let messageID: Digest32
    let updated: Date
}

/// A credential on its way to the store, with its tenant and the time it was issued.
struct IssuedCredential: Sendable {
    let tenant: TenantID
    let row: CredentialRow
    let issued: Date
}

/// A credential issued by a tenant's trust root.
struct CredentialRow: Sendable {
    let id: String
    let subject: String
    let type: String
    /// The canonical bytes of the issued credential.
    let credential: [UInt8]
    let proofValue: String
    let statusList: String
    let statusIndex: Int
    let revoked: Bool
    let suspended: Bool
}

/// Search filters of `GET /identities/search`; strings match as exact value or prefix.
struct IdentitySearch: Sendable {
    var type: String?
    var username: String?
    var creator: String?
    var registeredFrom: Date?
    var limit: Int = 100
    var offset: Int = 0
    /// nil: registration order; true ascending, false descending.
    var ascending: Bool?
}

/// An identity as search lists it, with its number of live credentials.
struct IdentitySummary: Sendable {
    let row: IdentityRow
    let credentialCount: Int
}
