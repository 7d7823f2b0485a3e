import CustosCore

/// What `ReceiptVerifier` established about a receipt.
public struct ReceiptReport: Sendable, Hashable {
    /// Where the key that verified the checkpoint came from.
    public enum KeyTrust: String, Sendable {
        /// The caller supplied the key: the receipt is as trustworthy as that key.
        case trusted
        /// Only the receipt's own key vouches for it: it shows internal consistency, not who signed it.
        case selfAsserted
    }

    /// The parsed message.
    public let message: LedgerMessage
    /// The message id, recomputed from the bytes.
    public let messageID: Digest32
    /// The leaf index proven.
    public let leafIndex: UInt64
    /// The verified checkpoint.
    public let checkpoint: Checkpoint
    /// The key whose signature verified.
    public let key: NoteVerifierKey
    /// Whether that key was supplied by the caller or taken from the receipt.
    public let keyTrust: KeyTrust
    /// One line per check that passed, in order.
    public let checks: [String]
}
