import CustosCrypto

/// The public payload of an announce: `channelType u8 | authorKeyAgreementKey [32] | nonce [16]` (49 bytes).
///
/// The author's X25519 key is in the signed announce, so the author's Ed25519 key vouches for it; keyloads seal the
/// epoch secret to it, which is how the author reads its own channel back from the ledger.
public struct AnnounceContent: Sendable, Hashable {
    /// Encoded size.
    public static let byteCount = 1 + 32 + 16
    /// Size of the nonce.
    public static let nonceByteCount = 16

    /// The channel type, fixed for the channel's life.
    public let channelType: ChannelType
    /// The author's X25519 key.
    public let authorKeyAgreementKey: X25519.PublicKey
    /// Random bytes, so that one author's channels of one type at one claimed time still get distinct ids.
    public let nonce: [UInt8]

    /// Creates the content; the nonce must be 16 bytes.
    public init(channelType: ChannelType, authorKeyAgreementKey: X25519.PublicKey, nonce: [UInt8]) throws(StreamsError)
    {
        guard nonce.count == Self.nonceByteCount else {
            throw .invalidRequest("the announce nonce must be \(Self.nonceByteCount) bytes, got \(nonce.count)")
        }
        self.channelType = channelType
        self.authorKeyAgreementKey = authorKeyAgreementKey
        self.nonce = nonce
    }

    /// Parses the content strictly.
    public init(bytes: [UInt8]) throws(StreamsError) {
        var reader = ByteReader(bytes)
        let code = try reader.readInteger(UInt8.self, "channel type")
        guard let channelType = ChannelType(rawValue: code) else { throw .unknownChannelType(code) }
        let key = try reader.read(32, "author key agreement key")
        let nonce = try reader.read(Self.nonceByteCount, "announce nonce")
        try reader.finish("announce content")
        do throws(CryptoError) {
            self.authorKeyAgreementKey = try X25519.PublicKey(rawRepresentation: key)
        } catch {
            throw .invalidKey(field: "author key agreement key")
        }
        self.channelType = channelType
        self.nonce = nonce
    }

    /// The canonical bytes.
    public var bytes: [UInt8] {
        [channelType.rawValue] + authorKeyAgreementKey.rawRepresentation + nonce
    }
}
