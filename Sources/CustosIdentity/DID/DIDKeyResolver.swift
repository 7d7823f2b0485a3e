/// Resolves `did:key` DIDs by expanding the key; needs no storage or network.
public struct DIDKeyResolver: DIDResolver {
    /// A did:key resolver.
    public init() {}

    /// The did:key document, or ``IdentityError/unsupportedDIDMethod(_:)`` for other methods.
    public func resolve(_ did: DID) async throws(IdentityError) -> DIDDocument {
        guard did.method == "key" else {
            throw IdentityError.unsupportedDIDMethod(did.method)
        }
        return try DIDKey.document(for: did)
    }
}
