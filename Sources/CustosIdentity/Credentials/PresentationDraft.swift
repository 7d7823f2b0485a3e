import CustosCore

/// The content of a presentation: a holder and the credentials they present.
public struct PresentationDraft: Sendable {
    /// The presentation id, if any.
    public var id: String?
    /// The holder DID; the presentation is signed with one of its authentication methods.
    public var holder: DID
    /// The credentials: secured credential objects, or compact `vc+jwt` strings (wrapped as
    /// `EnvelopedVerifiableCredential`).
    public var credentials: [JSONValue]
    /// Types besides `VerifiablePresentation`.
    public var types: [String]

    /// A draft presenting `credentials` as `holder`.
    public init(holder: DID, credentials: [JSONValue], types: [String] = [], id: String? = nil) {
        self.holder = holder
        self.credentials = credentials
        self.types = types
        self.id = id
    }

    /// The unsecured presentation JSON.
    public func json() -> JSONValue {
        var members: [String: JSONValue] = [
            "@context": [.string(VerifiableCredential.contextV2)],
            "type": .array(
                ([VerifiablePresentation.type] + types.filter { $0 != VerifiablePresentation.type }).map { .string($0) }
            ),
            "holder": .string(holder.description),
        ]
        if let id {
            members["id"] = .string(id)
        }
        if !credentials.isEmpty {
            members["verifiableCredential"] = .array(credentials.map(PresentationDraft.embed))
        }
        return .object(members)
    }

    private static func embed(_ credential: JSONValue) -> JSONValue {
        guard let jwt = credential.stringValue else {
            return credential
        }
        return [
            "@context": [.string(VerifiableCredential.contextV2)],
            "id": .string(VCJWT.envelopePrefix + jwt),
            "type": .string(VerifiablePresentation.envelopedCredentialType),
        ]
    }
}
