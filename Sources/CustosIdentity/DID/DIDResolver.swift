/// Resolves DIDs to documents; supplied by the caller (ledger-backed, HTTP, static, ...).
///
/// Implementations map their own failures to ``IdentityError/didNotFound(_:)``,
/// ``IdentityError/resolutionFailed(did:reason:)`` or ``IdentityError/deactivated(_:)``.
public protocol DIDResolver: Sendable {
    /// The current document of `did`.
    func resolve(_ did: DID) async throws(IdentityError) -> DIDDocument
}

extension DIDResolver {
    /// Resolves a verification method from its DID URL (or a `#fragment` relative to `base`),
    /// returning it with the document that lists it.
    public func resolveVerificationMethod(
        _ url: String, relativeTo base: DID? = nil
    ) async throws(IdentityError) -> (method: VerificationMethod, document: DIDDocument) {
        let parsed = try DIDURL(url, relativeTo: base)
        let document = try await resolve(parsed.did)
        guard let method = document.method(parsed) else {
            throw IdentityError.unknownVerificationMethod(parsed.description)
        }
        return (method, document)
    }
}
