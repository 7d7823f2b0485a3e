import CustosCore
import CustosCrypto

/// An Ed25519 signed-note verifier key, written `<name>+<hex key id>+<base64(0x01 ‖ public key)>`.
///
/// The key id is the first four bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key); it only picks
/// the key for a signature line, the public key is what is trusted.
public struct NoteVerifierKey: Sendable, Hashable, CustomStringConvertible {
    /// The signed-note signature type of Ed25519.
    public static let ed25519Type: UInt8 = 0x01

    /// The key name, usually the log origin.
    public let name: String
    /// The 32-bit key id.
    public let keyID: UInt32
    /// The Ed25519 public key.
    public let publicKey: Ed25519.PublicKey

    /// Derives the key id of `publicKey` under `name`; the name must be a valid key name.
    public init(name: String, publicKey: Ed25519.PublicKey) throws(NoteError) {
        try Self.validate(name: name)
        self.name = name
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, publicKey: publicKey)
    }

    /// Parses `<name>+<hex key id>+<base64(0x01 ‖ key)>`, checking that the key id matches.
    public init(parsing text: String) throws(NoteError) {
        // Names never contain "+", but base64 keys may: split at the first two only.
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw .malformedVerifierKey(reason: "expected <name>+<key id>+<key>, got \(parts.count) parts")
        }
        let idText = parts[1]
        guard idText.utf8.count == 8, let declared = UInt32(idText, radix: 16), Self.hex(declared) == idText else {
            throw .malformedVerifierKey(reason: "key id \"\(idText)\" is not 8 lowercase hex digits")
        }
        let keyBytes: [UInt8]
        do { keyBytes = try Base64.decode(parts[2]) } catch {
            throw .malformedVerifierKey(reason: "key is not base64: \(error.message)")
        }
        guard let type = keyBytes.first else { throw .malformedVerifierKey(reason: "key is empty") }
        guard type == Self.ed25519Type else { throw .unsupportedSignatureType(type) }
        guard keyBytes.count == 1 + Ed25519.PublicKey.byteCount else {
            throw .malformedVerifierKey(reason: "Ed25519 key has \(keyBytes.count - 1) bytes, expected 32")
        }
        try self.init(
            name: String(parts[0]), publicKey: try! Ed25519.PublicKey(rawRepresentation: keyBytes.dropFirst()))
        guard keyID == declared else { throw .keyIDMismatch(declared: declared, computed: keyID) }
    }

    /// The verifier key string.
    public var text: String {
        "\(name)+\(Self.hex(keyID))+\(Base64.encode([Self.ed25519Type] + publicKey.rawRepresentation))"
    }

    /// The verifier key string.
    public var description: String { text }

    /// `<name>+<hex key id>`: enough to name the key in messages without the key bytes.
    public var shortName: String { "\(name)+\(Self.hex(keyID))" }

    /// Whether `signature` is this key's Ed25519 signature of the note text.
    public func isValidSignature(_ signature: [UInt8], for text: String) -> Bool {
        publicKey.isValidSignature(signature, for: Array(text.utf8))
    }

    /// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[0..<4] as a big-endian integer.
    public static func keyID(name: String, publicKey: Ed25519.PublicKey) -> UInt32 {
        var hasher = SHA256.Hasher()
        hasher.update(Array(name.utf8))
        hasher.update([0x0A, ed25519Type])
        hasher.update(publicKey.rawRepresentation)
        return hasher.finalize().prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Checks the signed-note key name rule: non-empty, no Unicode spaces, no `+`.
    public static func validate(name: String) throws(NoteError) {
        guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0 == "+" }),
            !name.utf8.contains(where: { $0 < 0x20 })
        else { throw .invalidKeyName(name) }
    }

    /// A key id as 8 lowercase hex digits.
    public static func hex(_ keyID: UInt32) -> String {
        let digits = String(keyID, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
