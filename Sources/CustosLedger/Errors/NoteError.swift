import CustosCore

/// Why a signed note, a checkpoint body or a note verifier key was rejected.
public enum NoteError: CustosError, Equatable {
    /// The note contains an ASCII control character other than newline.
    case controlCharacter(offset: Int)
    /// The bytes are not valid UTF-8.
    case invalidUTF8
    /// The text to be signed is empty or does not end with a newline.
    case textNotNewlineTerminated
    /// No blank line separates the text from the signatures.
    case missingSignatureBlock
    /// The signature block does not end with a newline.
    case missingTrailingNewline
    /// A note without any signature line.
    case noSignatures
    /// A signature line does not have the form `— <name> <base64>`.
    case malformedSignatureLine(line: String, reason: String)
    /// More signatures than a verifier is willing to process.
    case tooManySignatures(count: Int, limit: Int)
    /// Two signatures by the same key name and key id.
    case duplicateSignature(keyName: String, keyID: UInt32)
    /// A key name that is empty or contains a space or `+`.
    case invalidKeyName(String)
    /// A signature by a known key that does not verify: the note must be rejected as a whole.
    case invalidSignature(key: String)
    /// No signature by any of the trusted keys.
    case noTrustedSignature(keys: [String])
    /// A verifier key string that is not `<name>+<hex key id>+<base64(type ‖ key)>`.
    case malformedVerifierKey(reason: String)
    /// A verifier key of a signature type other than Ed25519 (0x01).
    case unsupportedSignatureType(UInt8)
    /// A verifier key whose declared key id does not match its name and public key.
    case keyIDMismatch(declared: UInt32, computed: UInt32)
    /// A checkpoint body with fewer than three lines.
    case checkpointTooShort(lines: Int)
    /// A checkpoint whose origin line is empty.
    case emptyOrigin
    /// A checkpoint tree size that is not a canonical decimal `UInt64`.
    case invalidTreeSize(String)
    /// A checkpoint root hash that is not base64 of 32 bytes.
    case invalidRootHash(String)
    /// An empty (or newline-containing) checkpoint extension line.
    case invalidExtensionLine(String)

    /// Always bad input: notes come from outside.
    public var kind: ErrorKind { .invalidInput }

    /// One sentence naming the offending part.
    public var description: String {
        switch self {
        case .controlCharacter(let offset):
            "note contains an ASCII control character at byte \(offset)"
        case .invalidUTF8:
            "note is not valid UTF-8"
        case .textNotNewlineTerminated:
            "note text must be non-empty and end with a newline"
        case .missingSignatureBlock:
            "note has no blank line separating its text from signature lines"
        case .missingTrailingNewline:
            "note's signature block is empty or does not end with a newline"
        case .noSignatures:
            "note has no signature lines"
        case .malformedSignatureLine(let line, let reason):
            "malformed note signature line \"\(line)\": \(reason)"
        case .tooManySignatures(let count, let limit):
            "note has \(count) signatures; at most \(limit) are accepted"
        case .duplicateSignature(let keyName, let keyID):
            "note has more than one signature by \(keyName)+\(NoteVerifierKey.hex(keyID))"
        case .invalidKeyName(let name):
            "key name \"\(name)\" must be non-empty without spaces or '+'"
        case .invalidSignature(let key):
            "checkpoint signature does not verify under key \(key)"
        case .noTrustedSignature(let keys):
            "note carries no signature by " + (keys.count == 1 ? "key \(keys[0])" : "any of \(keys)")
        case .malformedVerifierKey(let reason):
            "malformed note verifier key: \(reason)"
        case .unsupportedSignatureType(let type):
            "note verifier key has signature type \(type); only Ed25519 (1) is supported"
        case .keyIDMismatch(let declared, let computed):
            "note verifier key declares key id \(NoteVerifierKey.hex(declared)), "
                + "but its name and key give \(NoteVerifierKey.hex(computed))"
        case .checkpointTooShort(let lines):
            "checkpoint has \(lines) lines; origin, tree size and root hash are required"
        case .emptyOrigin:
            "checkpoint origin line is empty"
        case .invalidTreeSize(let text):
            "checkpoint tree size \"\(text)\" is not a decimal number without leading zeros"
        case .invalidRootHash(let text):
            "checkpoint root hash \"\(text)\" is not base64 of 32 bytes"
        case .invalidExtensionLine(let text):
            "checkpoint extension line \"\(text)\" must be non-empty"
        }
    }
}
