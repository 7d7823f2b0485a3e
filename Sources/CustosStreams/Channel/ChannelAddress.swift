import CustosCore
import CustosCrypto

/// The Integration Services form of a channel id: 105 characters, `hex(40 bytes) ":" hex(12 bytes)`.
///
/// The 52 bytes are the channel id followed by 20 check bytes,
/// `BLAKE2b-160("custos/channel/v1/address" NUL ‖ channelId)`: the first 8 end the 40-byte part, the other 12 are
/// the part after the colon. So an address gives back its channel id without a lookup, and a mistyped one is caught.
public struct ChannelAddress: Sendable, Hashable, CustomStringConvertible {
    /// Length of the string form.
    public static let characterCount = 105
    /// Size of the check bytes.
    static let checkByteCount = 20

    /// The channel id the address names.
    public let channelID: Digest32

    /// The address of a channel.
    public init(channelID: Digest32) {
        self.channelID = channelID
    }

    /// Parses an address: exactly 80 lowercase hex digits, a colon, 24 lowercase hex digits, and matching check bytes.
    public init(_ string: some StringProtocol) throws(StreamsError) {
        let utf8 = Array(string.utf8)
        guard utf8.count == Self.characterCount else {
            throw .malformedAddress("it must be \(Self.characterCount) characters, got \(utf8.count)")
        }
        guard utf8[80] == UInt8(ascii: ":") else {
            throw .malformedAddress("character 81 must be ':'")
        }
        let digits = utf8[..<80] + utf8[81...]
        let lowercaseHex = Array("0123456789abcdef".utf8)
        // Upper case would give a second spelling of one address, and addresses are compared as strings.
        guard digits.allSatisfy({ lowercaseHex.contains($0) }) else {
            throw .malformedAddress("the parts must be lowercase hex digits")
        }
        let bytes = try! Hex.decode(String(decoding: digits, as: UTF8.self))  // only hex digits, even length
        let channelID = try! Digest32(bytes: bytes.prefix(32))
        guard Array(bytes.suffix(Self.checkByteCount)) == Self.check(channelID) else {
            throw .addressChecksumMismatch
        }
        self.channelID = channelID
    }

    /// The 105-character string.
    public var description: String {
        let bytes = channelID.bytes + Self.check(channelID)
        return Hex.encode(bytes.prefix(40)) + ":" + Hex.encode(bytes.suffix(12))
    }

    static func check(_ channelID: Digest32) -> [UInt8] {
        try! BLAKE2b.hash(ChannelDomain.address + channelID.bytes, outputByteCount: checkByteCount)  // 20 is in range
    }
}
