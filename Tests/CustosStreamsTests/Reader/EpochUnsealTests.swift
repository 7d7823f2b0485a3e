import CustosCore
import CustosCrypto
import Testing

@testable import CustosStreams

/// `ChannelReader.unseal`: one epoch's keyload opened for a reader that did not read the channel from its start, as
/// the streams worker does for subscribers whose keys it holds. It must agree with a reader of the whole channel.
@Suite("Opening one epoch")
struct EpochUnsealTests {
    @Test("readers and pre-shared keys open the epoch a full reader opens; others and other epochs do not")
    func agreesWithTheReader() throws {
        let channel = try PrivateChannel()
        let content = try #require(channel.keyload.keyloadContent)
        let id = channel.channelID
        let reader = ReaderCredentials(keyAgreementKey: Fixtures.readerAgreement)
        let (access, secret) = ChannelReader.unseal(content, epoch: 1, channelID: id, credentials: reader)
        #expect(access == .readable)
        #expect(secret?.rawRepresentation == channel.readerReader.epochSecret(1)?.rawRepresentation)
        let auditor = ReaderCredentials(presharedKeys: [Fixtures.psk])
        #expect(ChannelReader.unseal(content, epoch: 1, channelID: id, credentials: auditor).0 == .readable)

        // A Write member, an outsider, a wrong pre-shared key, and nobody at all get nothing.
        for credentials in [
            ReaderCredentials(keyAgreementKey: Fixtures.writerAgreement),
            ReaderCredentials(keyAgreementKey: Fixtures.outsiderAgreement),
            ReaderCredentials(presharedKeys: [Fixtures.otherPSK]), ReaderCredentials(),
        ] {
            let (access, secret) = ChannelReader.unseal(content, epoch: 1, channelID: id, credentials: credentials)
            #expect(access == .noAccess && secret == nil)
        }
        // The slot is bound to its channel and epoch: asked as another epoch or channel it is refused.
        let shifted = ChannelReader.unseal(content, epoch: 2, channelID: id, credentials: reader)
        #expect(shifted.1 == nil)
        guard case .refused = shifted.0 else {
            Issue.record("epoch 2: \(shifted.0)")
            return
        }
        let elsewhere = ChannelReader.unseal(content, epoch: 1, channelID: .zero, credentials: reader)
        #expect(elsewhere.1 == nil)
    }
}
