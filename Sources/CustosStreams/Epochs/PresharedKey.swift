import CustosCore
import CustosCrypto

/// A 32-byte pre-shared key that gives `Audit` access to every epoch whose keyload wraps the epoch secret for it.
///
/// Integration Services' `presharedKey` is a 32-character string; its UTF-8 bytes are the key. The key must have
/// enough entropy on its own: nothing slows down guessing it from a keyload.
public struct PresharedKey: Sendable, CustomStringConvertible {
    /// Size of the key.
    public static let byteCount = 32
    /// Size of a key's id.
    public static let idByteCount = 16

    private let key: SymmetricKey

    /// Wraps 32 key bytes.
    public init(rawRepresentation: some Collection<UInt8>) throws(StreamsError) {
        do throws(CryptoError) {
            key = try SymmetricKey(rawRepresentation: rawRepresentation)
        } catch {
            throw .invalidRequest("a pre-shared key must be \(Self.byteCount) bytes, got \(rawRepresentation.count)")
        }
    }

    /// The UTF-8 bytes of an Integration Services `presharedKey` (32 characters).
    public init(integrationServicesKey: String) throws(StreamsError) {
        try self.init(rawRepresentation: Array(integrationServicesKey.utf8))
    }

    /// The key bytes; the caller owns this copy and must treat it as secret.
    public var rawRepresentation: [UInt8] { key.rawRepresentation }

    /// `BLAKE2b-128(key = psk, "custos/channel/v1/psk-id" NUL ‖ channelId)`: keyed by the channel, so one key used in
    /// two channels cannot be linked by its ids.
    public func id(in channelID: Digest32) -> [UInt8] {
        try! BLAKE2b.hash(
            ChannelDomain.pskID + channelID.bytes, outputByteCount: Self.idByteCount, key: rawRepresentation)
    }

    /// `BLAKE2b-256(key = psk, "custos/channel/v1/psk-wrap" NUL ‖ channelId ‖ epoch u32 ‖ pskId)`: one key per
    /// channel and epoch.
    func wrapKey(channelID: Digest32, epoch: UInt32) -> SymmetricKey {
        var message = ChannelDomain.pskWrap + channelID.bytes
        message.appendLittleEndian(epoch)
        message.append(contentsOf: id(in: channelID))
        let bytes = try! BLAKE2b.hash(message, key: rawRepresentation)  // 32-byte key and output are in range
        return try! SymmetricKey(rawRepresentation: bytes)
    }

    /// Never shows the key.
    public var description: String { "PresharedKey(redacted)" }
}
