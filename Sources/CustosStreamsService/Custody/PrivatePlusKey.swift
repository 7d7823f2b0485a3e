import CustosCore
import CustosCrypto
import CustosStreams

/// The `asym-shared-key` of a privatePlus channel (is-api.md §3.6): base58 of the X25519 secret a participant
/// shares with the channel's `peerPublicKey`, sent with every request. The participant's keys are sealed under a
/// key derived from it, so the worker can use them only while a request brings it.
struct PrivatePlusKey: Sendable {
    let key: SymmetricKey

    /// The key of `text` in the channel.
    init(_ text: String, channelID: Digest32) {
        let material = BLAKE2b.hash256(Array("custos/streams/v1/private-plus".utf8) + [0] + Array(text.utf8))
        // A 32-byte key and output are in range.
        let bytes = try! BLAKE2b.hash(channelID.bytes, key: material)
        key = try! SymmetricKey(rawRepresentation: bytes)
    }

    /// The key a request must bring for a channel of `type`: required on privatePlus channels, refused on others
    /// (the Integration Services rule and messages).
    static func required(_ text: String?, type: ChannelType, channelID: Digest32) throws(RequestError)
        -> PrivatePlusKey?
    {
        switch (type, text) {
        case (.privatePlus, nil):
            throw RequestError(.invalidInput, "An asym-shared-key is required for privatePlus channels.")
        case (.privatePlus, let text?):
            guard (1...256).contains(text.utf8.count), (try? Base58.decode(text)) != nil else {
                throw RequestError(.invalidInput, "asym-shared-key must be a base58 string")
            }
            return PrivatePlusKey(text, channelID: channelID)
        case (_, nil): return nil
        case (_, .some): throw RequestError(.invalidInput, "Please do not define an asym-shared-key.")
        }
    }
}
