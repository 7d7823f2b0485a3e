/// The `statusPurpose` of a Bitstring Status List and of the entries pointing into it.
public enum StatusPurpose: String, Sendable, CaseIterable, Hashable {
    /// A set bit means revoked, permanently.
    case revocation
    /// A set bit means suspended; clearing it reinstates the credential.
    case suspension
    /// A set bit means the holder should refresh the credential.
    case refresh
    /// Multi-bit status messages (`statusSize` > 1 with `statusMessage`).
    case message
}
