import CustosCrypto

/// The public payload of a subscribe: `keyAgreementKey [32] | requestedRights u8` (33 bytes).
///
/// The subscriber's Ed25519 key is the envelope's publisher and signs the whole envelope, so it vouches for the
/// X25519 key named here; the author seals epoch secrets to that key if it grants a reading right.
public struct SubscribeContent: Sendable, Hashable {
    /// Encoded size.
    public static let byteCount = 33

    /// The X25519 key the subscriber wants epoch secrets sealed to.
    public let keyAgreementKey: X25519.PublicKey
    /// The rights the subscriber asks for; the author decides what it grants.
    public let requestedRights: AccessRights

    /// Creates the content.
    public init(keyAgreementKey: X25519.PublicKey, requestedRights: AccessRights) {
        self.keyAgreementKey = keyAgreementKey
        self.requestedRights = requestedRights
    }

    /// Parses the content strictly.
    public init(bytes: [UInt8]) throws(StreamsError) {
        var reader = ByteReader(bytes)
        let key = try reader.read(32, "subscriber key agreement key")
        let code = try reader.readInteger(UInt8.self, "requested rights")
        try reader.finish("subscribe content")
        guard let rights = AccessRights(rawValue: code) else { throw .unknownAccessRights(code) }
        do throws(CryptoError) {
            self.keyAgreementKey = try X25519.PublicKey(rawRepresentation: key)
        } catch {
            throw .invalidKey(field: "subscriber key agreement key")
        }
        self.requestedRights = rights
    }

    /// The canonical bytes.
    public var bytes: [UInt8] { keyAgreementKey.rawRepresentation + [requestedRights.rawValue] }
}
