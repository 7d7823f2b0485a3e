/// A C2SP signed note: a text ending in newline, a blank line, then one or more signature lines.
///
/// Parsing is strict (valid UTF-8, no control characters other than newline, at most 100 signatures, no two
/// signatures by one key), and verification follows the spec: signatures by unknown keys are ignored, a bad
/// signature by a known key rejects the whole note, and at least one known key must have signed.
public struct SignedNote: Sendable, Hashable {
    /// The most signatures a note may carry; the spec asks verifiers to accept at least 16.
    public static let maximumSignatures = 100

    /// The signed text, including its final newline.
    public let text: String
    /// The signatures, in order.
    public let signatures: [NoteSignature]

    /// Assembles a note from a text and signatures, applying the same rules as parsing.
    public init(text: String, signatures: [NoteSignature]) throws(NoteError) {
        try Self.checkCharacters(Array(text.utf8), offset: 0)
        guard text.utf8.last == 0x0A else { throw .textNotNewlineTerminated }
        try Self.checkSignatureSet(signatures)
        for signature in signatures {
            do { try NoteVerifierKey.validate(name: signature.keyName) } catch {
                throw .malformedSignatureLine(line: signature.line, reason: "invalid key name")
            }
        }
        self.text = text
        self.signatures = signatures
    }

    /// Parses a serialized note.
    public init(parsing note: String) throws(NoteError) {
        try self.init(bytes: Array(note.utf8))
    }

    /// Parses a serialized note from UTF-8 bytes.
    public init(bytes: [UInt8]) throws(NoteError) {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidUTF8 }
        try Self.checkCharacters(bytes, offset: 0)
        // The text ends at the last blank line; signature lines are never empty, so it is unambiguous.
        guard let split = Self.lastBlankLine(in: bytes) else { throw .missingSignatureBlock }
        let textBytes = bytes[...split]
        let block = bytes[(split + 2)...]
        guard block.last == 0x0A else { throw .missingTrailingNewline }
        let lines = block.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count <= Self.maximumSignatures else {
            throw .tooManySignatures(count: lines.count, limit: Self.maximumSignatures)
        }
        var signatures: [NoteSignature] = []
        for line in lines {
            signatures.append(try NoteSignature(line: String(decoding: line, as: UTF8.self)))
        }
        try Self.checkSignatureSet(signatures)
        self.text = String(decoding: textBytes, as: UTF8.self)
        self.signatures = signatures
    }

    /// Signs `text` with each signer; the text must end with a newline.
    public static func sign(text: String, signers: [NoteSigner]) throws(NoteError) -> SignedNote {
        var signatures: [NoteSignature] = []
        for signer in signers { signatures.append(try signer.sign(text: text)) }
        return try SignedNote(text: text, signatures: signatures)
    }

    /// The note as served: text, blank line, signature lines.
    public var serialized: String {
        text + "\n" + signatures.map { $0.line + "\n" }.joined()
    }

    /// Verifies the note against trusted keys and returns those whose signature verified (at least one).
    public func verify(using keys: [NoteVerifierKey]) throws(NoteError) -> [NoteVerifierKey] {
        var verified: [NoteVerifierKey] = []
        for signature in signatures {
            // A signature matching a key's name but not its id (or the reverse) is some other key: ignore it.
            guard let key = keys.first(where: { $0.name == signature.keyName && $0.keyID == signature.keyID }) else {
                continue
            }
            guard key.isValidSignature(signature.signature, for: text) else {
                throw .invalidSignature(key: key.shortName)
            }
            if !verified.contains(key) { verified.append(key) }
        }
        guard !verified.isEmpty else { throw .noTrustedSignature(keys: keys.map(\.shortName)) }
        return verified
    }

    /// Verifies the note against one trusted key.
    public func verify(using key: NoteVerifierKey) throws(NoteError) {
        _ = try verify(using: [key])
    }

    private static func checkCharacters(_ bytes: [UInt8], offset: Int) throws(NoteError) {
        if let bad = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw .controlCharacter(offset: offset + bad)
        }
    }

    private static func checkSignatureSet(_ signatures: [NoteSignature]) throws(NoteError) {
        guard !signatures.isEmpty else { throw .noSignatures }
        guard signatures.count <= maximumSignatures else {
            throw .tooManySignatures(count: signatures.count, limit: maximumSignatures)
        }
        var seen: Set<String> = []
        for signature in signatures where !seen.insert("\(signature.keyName)+\(signature.keyID)").inserted {
            throw .duplicateSignature(keyName: signature.keyName, keyID: signature.keyID)
        }
    }

    private static func lastBlankLine(in bytes: [UInt8]) -> Int? {
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == 0x0A && bytes[index + 1] == 0x0A { return index }
            index -= 1
        }
        return nil
    }
}
