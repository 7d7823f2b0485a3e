import CustosCore

/// One signature line of a signed note: `— <key name> base64(key id ‖ signature)`.
public struct NoteSignature: Sendable, Hashable {
    /// The prefix of every signature line: EM DASH (U+2014) and a space.
    public static let linePrefix = "\u{2014} "

    /// The signer's key name.
    public let keyName: String
    /// The signer's 32-bit key id.
    public let keyID: UInt32
    /// The signature bytes (64 for Ed25519; other types may differ).
    public let signature: [UInt8]

    /// Wraps a signature; lines are validated when parsed, not here.
    public init(keyName: String, keyID: UInt32, signature: [UInt8]) {
        self.keyName = keyName
        self.keyID = keyID
        self.signature = signature
    }

    /// Parses one line without its newline; the split is done on UTF-8 bytes, not on grapheme clusters.
    public init(line: String) throws(NoteError) {
        let bytes = Array(line.utf8)
        let prefix = Array(Self.linePrefix.utf8)
        guard bytes.starts(with: prefix) else {
            throw .malformedSignatureLine(line: line, reason: "it must start with an em dash and a space")
        }
        let fields = bytes[prefix.count...].split(separator: 0x20, omittingEmptySubsequences: false)
        guard fields.count == 2 else {
            throw .malformedSignatureLine(
                line: line, reason: "expected a key name and a signature separated by a space")
        }
        guard let name = String(validating: fields[0], as: UTF8.self) else { throw .invalidUTF8 }
        do { try NoteVerifierKey.validate(name: name) } catch {
            throw .malformedSignatureLine(line: line, reason: "invalid key name")
        }
        let decoded: [UInt8]
        do { decoded = try Base64.decode(String(decoding: fields[1], as: UTF8.self)) } catch {
            throw .malformedSignatureLine(line: line, reason: "signature is not base64: \(error.message)")
        }
        guard decoded.count >= 5 else {
            throw .malformedSignatureLine(
                line: line, reason: "signature has \(decoded.count) bytes; a key id and a signature are needed")
        }
        self.init(
            keyName: name, keyID: decoded.prefix(4).reduce(0) { $0 << 8 | UInt32($1) },
            signature: Array(decoded.dropFirst(4)))
    }

    /// The line, without its newline.
    public var line: String {
        let id: [UInt8] = [
            UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF),
        ]
        return Self.linePrefix + keyName + " " + Base64.encode(id + signature)
    }
}
