/// A multicodec code: the varint prefix that says what the following bytes are.
public struct Multicodec: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt64

    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// `ed25519-pub` (0xed, varint `ed 01`).
    public static let ed25519Pub = Multicodec(rawValue: 0xed)
    /// `x25519-pub` (0xec, varint `ec 01`).
    public static let x25519Pub = Multicodec(rawValue: 0xec)
    /// `ed25519-priv` (0x1300, varint `80 26`): the 32-byte seed.
    public static let ed25519Priv = Multicodec(rawValue: 0x1300)
    /// `sha2-256` (0x12).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    public static let sha2_256 = Multicodec(rawValue: 0x12)
    /// `blake2b-256` (0xb220, varint `a0 e4 02`).
    // swift-format-ignore: AlwaysUseLowerCamelCase
    public static let blake2b_256 = Multicodec(rawValue: 0xb220)

    /// The varint of `codec` followed by `bytes`.
    public static func prefix(_ codec: Multicodec, to bytes: some Collection<UInt8>) -> [UInt8] {
        var result = Varint.encode(codec.rawValue)
        result.reserveCapacity(result.count + bytes.count)
        result.append(contentsOf: bytes)
        return result
    }

    /// Splits a leading multicodec varint from the payload that follows it.
    public static func split(
        _ bytes: some Collection<UInt8>
    ) throws(CodecError) -> (codec: Multicodec, payload: [UInt8]) {
        let (value, count) = try Varint.decode(bytes)
        return (Multicodec(rawValue: value), Array(bytes.dropFirst(count)))
    }
}

extension Multicodec: CustomStringConvertible {
    /// The multicodec table name for known codes, otherwise the code in hex.
    public var description: String {
        switch self {
        case .ed25519Pub: return "ed25519-pub"
        case .x25519Pub: return "x25519-pub"
        case .ed25519Priv: return "ed25519-priv"
        case .sha2_256: return "sha2-256"
        case .blake2b_256: return "blake2b-256"
        default: return "0x" + String(rawValue, radix: 16)
        }
    }
}
