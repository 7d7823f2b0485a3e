/// Multibase: a one-character prefix naming the base, followed by the encoded bytes.
///
/// Only the bases this service speaks are supported: `z` (base58btc), `u` (base64url, unpadded) and
/// `f` (lowercase base16).
public enum Multibase {
    /// A supported base, with its prefix character as raw value.
    public enum Base: Character, Sendable {
        case base58btc = "z"
        case base64url = "u"
        case base16 = "f"
    }

    /// The prefix character followed by `bytes` in `base`.
    public static func encode(_ bytes: some Collection<UInt8>, base: Base = .base58btc) -> String {
        let body: String
        switch base {
        case .base58btc: body = Base58.encode(bytes)
        case .base64url: body = Base64URL.encode(bytes)
        case .base16: body = Hex.encode(bytes)
        }
        return String(base.rawValue) + body
    }

    /// Decodes a multibase string; rejects unknown prefixes and malformed bodies.
    ///
    /// `f` requires lowercase hex, so that each byte string has a single encoding per base.
    public static func decode(_ string: some StringProtocol) throws(CodecError) -> (base: Base, bytes: [UInt8]) {
        guard let prefix = string.first else {
            throw CodecError(message: "empty multibase string")
        }
        guard let base = Base(rawValue: prefix) else {
            let shown = prefix.unicodeScalars.count == 1 ? CodecError.describe(prefix.unicodeScalars.first!) : "?"
            throw CodecError(message: "unsupported multibase prefix \(shown)")
        }
        let body = string.dropFirst()
        switch base {
        case .base58btc:
            return (base, try Base58.decode(body))
        case .base64url:
            return (base, try Base64URL.decode(body))
        case .base16:
            var offset = 0
            for byte in body.utf8 {
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F") {
                    throw CodecError.invalidCharacter("base16 (lowercase)", in: body, atUTF8Offset: offset)
                }
                offset += 1
            }
            return (base, try Hex.decode(body))
        }
    }
}
