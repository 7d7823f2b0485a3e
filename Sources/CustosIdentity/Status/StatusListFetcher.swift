import CustosCore

/// Fetches status list credentials by URL; supplied by the caller (HTTP with caching, database, files).
public protocol StatusListFetcher: Sendable {
    /// The status list credential published at `url`, as JSON (still to be verified).
    func statusListCredential(at url: String) async throws(IdentityError) -> JSONValue

    /// The list published at `url`, for a fetcher that is the list's own issuer (it built and signed the list
    /// itself, so verifying its signature again proves nothing); nil, the default, makes the verifier fetch,
    /// verify and decode the credential.
    func issuedStatusList(at url: String) async throws(IdentityError) -> IssuedStatusList?
}

extension StatusListFetcher {
    public func issuedStatusList(at url: String) async throws(IdentityError) -> IssuedStatusList? { nil }
}

/// A status list as its issuer holds it: who issued it, for which purpose, and the bits.
public struct IssuedStatusList: Sendable {
    /// The issuer, which must be the credential's.
    public let issuer: DID
    /// The list's purpose, which must be the entry's.
    public let purpose: StatusPurpose
    /// The bits.
    public let list: BitstringStatusList

    /// Creates a list.
    public init(issuer: DID, purpose: StatusPurpose, list: BitstringStatusList) {
        self.issuer = issuer
        self.purpose = purpose
        self.list = list
    }
}
