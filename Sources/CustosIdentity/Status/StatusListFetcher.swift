import CustosCore

/// Fetches status list credentials by URL; supplied by the caller (HTTP with caching, database, files).
public protocol StatusListFetcher: Sendable {
    /// The status list credential published at `url`, as JSON (still to be verified).
    func statusListCredential(at url: String) async throws(IdentityError) -> JSONValue
}
