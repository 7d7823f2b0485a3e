import CustosCore

/// Why a receipt was rejected; each case names the check that failed.
public enum ReceiptError: CustosError, Equatable {
    /// A field is missing or has the wrong type or encoding.
    case malformed(field: String, reason: String)
    /// A receipt version this verifier does not know.
    case unsupportedVersion(Int)
    /// The message bytes do not parse as a ledger message.
    case invalidMessage(LedgerError)
    /// The message bytes hash to a different id than the receipt claims.
    case messageIDMismatch(claimed: Digest32, computed: Digest32)
    /// The message belongs to another network than the receipt claims.
    case networkMismatch(claimed: UInt64, message: UInt64)
    /// The network name does not derive the claimed network id.
    case networkNameMismatch(name: String, claimed: UInt64, derived: UInt64)
    /// The embedded coordinator key does not parse.
    case invalidCoordinatorKey(NoteError)
    /// The checkpoint note is malformed or not signed by the key.
    case checkpoint(NoteError)
    /// The checkpoint is for another log than the caller expected.
    case originMismatch(expected: String, actual: String)
    /// The checkpoint origin differs from the name of the key that signed it.
    case originKeyMismatch(origin: String, keyName: String)
    /// The checkpoint origin does not end with the receipt's tenant.
    case tenantMismatch(tenant: String, origin: String)
    /// The leaf index is not inside the checkpoint's tree.
    case leafIndexOutOfRange(index: UInt64, size: UInt64)
    /// The inclusion proof does not lead to the checkpoint's root.
    case inclusion(ProofError)

    /// Always bad input: receipts come from outside.
    public var kind: ErrorKind { .invalidInput }

    /// One sentence naming the failed check.
    public var description: String {
        switch self {
        case .malformed(let field, let reason):
            "receipt field \(field) is malformed: \(reason)"
        case .unsupportedVersion(let version):
            "receipt version \(version) is not supported; this verifier knows version \(Receipt.currentVersion)"
        case .invalidMessage(let error):
            "receipt message is not a valid ledger message: \(error)"
        case .messageIDMismatch(let claimed, let computed):
            "receipt claims message id \(claimed), but the message bytes hash to \(computed)"
        case .networkMismatch(let claimed, let message):
            "receipt claims network \(claimed), but the message belongs to network \(message)"
        case .networkNameMismatch(let name, let claimed, let derived):
            "network name \"\(name)\" derives network id \(derived), not \(claimed)"
        case .invalidCoordinatorKey(let error):
            "receipt coordinator key is invalid: \(error)"
        case .checkpoint(let error):
            "receipt checkpoint is rejected: \(error)"
        case .originMismatch(let expected, let actual):
            "checkpoint is for log \"\(actual)\", expected \"\(expected)\""
        case .originKeyMismatch(let origin, let keyName):
            "checkpoint origin \"\(origin)\" differs from its signing key name \"\(keyName)\""
        case .tenantMismatch(let tenant, let origin):
            "checkpoint origin \"\(origin)\" does not belong to tenant \"\(tenant)\""
        case .leafIndexOutOfRange(let index, let size):
            "leaf index \(index) is not inside the checkpoint's tree of size \(size)"
        case .inclusion(let error):
            "inclusion proof is rejected: \(error)"
        }
    }
}
