import CustosCore

/// A C2SP tlog-checkpoint body: `<origin>\n<tree size>\n<base64 root hash>\n` plus optional extension lines.
///
/// The body is the text of a signed note; this type only parses and formats it. Signing and verification
/// belong to `SignedNote`.
public struct Checkpoint: Sendable, Hashable {
    /// The log identity, e.g. `custos.example/acme`.
    public let origin: String
    /// The number of leaves.
    public let size: UInt64
    /// The RFC 6962 root hash at `size`.
    public let root: Digest32
    /// Opaque extension lines, each non-empty.
    public let extensions: [String]

    /// Creates a checkpoint; the origin must be non-empty and every line free of newlines and control characters.
    public init(origin: String, size: UInt64, root: Digest32, extensions: [String] = []) throws(NoteError) {
        guard !origin.isEmpty else { throw .emptyOrigin }
        if let bad = origin.utf8.firstIndex(where: { $0 < 0x20 }) {
            throw .controlCharacter(offset: origin.utf8.distance(from: origin.utf8.startIndex, to: bad))
        }
        for line in extensions where line.isEmpty || line.utf8.contains(where: { $0 < 0x20 }) {
            throw .invalidExtensionLine(line)
        }
        self.origin = origin
        self.size = size
        self.root = root
        self.extensions = extensions
    }

    /// Parses a checkpoint body (a signed note's text, ending with a newline).
    public init(text: String) throws(NoteError) {
        guard text.utf8.last == 0x0A else { throw .textNotNewlineTerminated }
        if let bad = text.utf8.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw .controlCharacter(offset: text.utf8.distance(from: text.utf8.startIndex, to: bad))
        }
        let lines = text.utf8.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        guard lines.count >= 3 else { throw .checkpointTooShort(lines: lines.count) }
        guard !lines[0].isEmpty else { throw .emptyOrigin }
        let sizeText = lines[1]
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            sizeText == "0" || !sizeText.hasPrefix("0"), let size = UInt64(sizeText)
        else { throw .invalidTreeSize(sizeText) }
        guard let rootBytes = try? Base64.decode(lines[2]), let root = try? Digest32(bytes: rootBytes) else {
            throw .invalidRootHash(lines[2])
        }
        for line in lines.dropFirst(3) where line.isEmpty { throw .invalidExtensionLine(line) }
        try self.init(origin: lines[0], size: size, root: root, extensions: Array(lines.dropFirst(3)))
    }

    /// The body text that gets signed.
    public var text: String {
        ([origin, String(size), Base64.encode(root.bytes)] + extensions).map { $0 + "\n" }.joined()
    }

    /// Signs the body with each signer.
    public func signed(by signers: [NoteSigner]) throws(NoteError) -> SignedNote {
        try SignedNote.sign(text: text, signers: signers)
    }

    /// Parses and verifies a signed checkpoint against trusted keys in one step.
    public static func verified(note: String, keys: [NoteVerifierKey]) throws(NoteError) -> Checkpoint {
        let signed = try SignedNote(parsing: note)
        _ = try signed.verify(using: keys)
        return try Checkpoint(text: signed.text)
    }
}
