import CustosCore

/// A ``StatusListFetcher`` over credentials given up front, keyed by their `id`.
public struct StaticStatusListFetcher: StatusListFetcher {
    /// The credentials by URL.
    public let credentials: [String: JSONValue]

    /// Indexes `credentials` by their `id` member; credentials without one are ignored.
    public init(_ credentials: [JSONValue]) {
        var byID: [String: JSONValue] = [:]
        for credential in credentials {
            if let id = credential["id"]?.stringValue {
                byID[id] = credential
            }
        }
        self.credentials = byID
    }

    /// The credential with id `url`.
    public func statusListCredential(at url: String) async throws(IdentityError) -> JSONValue {
        guard let credential = credentials[url] else {
            throw IdentityError.statusUnavailable(statusList: url, reason: "it was not supplied")
        }
        return credential
    }
}
