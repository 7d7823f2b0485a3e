/// A DID URL: a DID with an optional path, query and fragment, e.g. `did:key:z6Mk…#z6Mk…`.
public struct DIDURL: Hashable, Sendable, CustomStringConvertible {
    /// The DID the URL points into.
    public let did: DID
    /// The path, including its leading `/`, or empty.
    public let path: String
    /// The query without `?`, if any.
    public let query: String?
    /// The fragment without `#`, if any; for verification methods it names the key.
    public let fragment: String?

    /// Parses an absolute DID URL, or a relative reference (`#frag`, `?q`, `/p`) resolved against `base`.
    public init(_ string: String, relativeTo base: DID? = nil) throws(IdentityError) {
        var rest = Substring(string)
        let did: DID
        if string.hasPrefix("did:") {
            let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
            did = try DID(String(rest[..<end]))
            rest = rest[end...]
        } else if let base, string.first == "#" || string.first == "?" || string.first == "/" {
            did = base
        } else {
            throw IdentityError.invalidDID(string, reason: "must be a DID URL or a '#fragment' relative to a DID")
        }
        var fragment: String?
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        var query: String?
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        self.did = did
        self.path = String(rest)
        self.query = query
        self.fragment = fragment
    }

    /// Builds `did#fragment`.
    public init(did: DID, fragment: String) {
        self.did = did
        self.path = ""
        self.query = nil
        self.fragment = fragment
    }

    /// The absolute form.
    public var description: String {
        var text = did.description + path
        if let query {
            text += "?" + query
        }
        if let fragment {
            text += "#" + fragment
        }
        return text
    }
}
