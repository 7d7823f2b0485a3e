import CustosCore
import CustosCrypto
import Testing

@testable import CustosStore
@testable import CustosStreamsService

/// The keys held in custody (docs/channels.md §14): derived from the seed as documented, sealed so that they open
/// only for their channel and subscriber, and on privatePlus channels only with the participant's asym-shared-key.
@Suite("Participant keys in custody")
struct ParticipantKeysTests {
    static let seed = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrst"
    static let context = [UInt8](repeating: 0x09, count: 16)

    static func dataKey() -> TenantDataKey {
        TenantDataKey(tenant: TenantID("acme")!, component: .streams, generation: 1, key: SymmetricKey())
    }

    @Test("the derivation of docs/channels.md §14, as an independent implementation computes it")
    func derivation() {
        // Computed with Python's hashlib.blake2b and PyNaCl from the formula in docs/channels.md §14.
        let keys = ParticipantKeys(seed: Self.seed, context: Self.context)
        #expect(
            Hex.encode(keys.signing.publicKey.rawRepresentation)
                == "d5b00210799c3add5847c8e94af65a804aca5df69d59e6e4a1b1e14173fef7e7")
        #expect(
            Hex.encode(keys.keyAgreement.publicKey.rawRepresentation)
                == "d8324dc3aa6aff645401e795df0009b4a70228c3d0791d8f7ecd858507732628")
        // Another context (another channel) or another seed gives unrelated keys.
        let elsewhere = ParticipantKeys(seed: Self.seed, context: [UInt8](repeating: 0x0a, count: 16))
        #expect(elsewhere.signing.publicKey != keys.signing.publicKey)
        #expect(
            ParticipantKeys(seed: Self.seed + "x", context: Self.context).signing.publicKey != keys.signing.publicKey)
        let generated = ParticipantKeys.generateSeed()
        #expect(generated.count == 72 && generated.allSatisfy { ("a"..."z").contains($0) })
        #expect(ParticipantKeys.generateSeed() != generated)
    }

    @Test("sealed keys open for their row only, and never show the seed")
    func sealing() throws {
        let dataKey = Self.dataKey()
        let keys = ParticipantKeys(seed: Self.seed, context: Self.context)
        let sealed = try keys.sealed(with: dataKey, row: "channel/did:a", plusKey: nil)
        #expect(!Hex.encode(sealed).contains(Hex.encode(keys.signing.seed)))
        let opened = try ParticipantKeys.open(sealed, with: dataKey, row: "channel/did:a", plusKey: nil)
        #expect(opened.signing.publicKey == keys.signing.publicKey)
        #expect(opened.keyAgreement.publicKey == keys.keyAgreement.publicKey)
        #expect(throws: (any Error).self) {
            try ParticipantKeys.open(sealed, with: dataKey, row: "channel/did:b", plusKey: nil)
        }
        #expect(throws: (any Error).self) {
            try ParticipantKeys.open(sealed, with: Self.dataKey(), row: "channel/did:a", plusKey: nil)
        }
        var flipped = sealed
        flipped[flipped.count - 1] ^= 1
        #expect(throws: (any Error).self) {
            try ParticipantKeys.open(flipped, with: dataKey, row: "channel/did:a", plusKey: nil)
        }
    }

    @Test("privatePlus keys open only with the asym-shared-key they were sealed under")
    func privatePlus() throws {
        let dataKey = Self.dataKey()
        let channelID = try Digest32(bytes: [UInt8](repeating: 7, count: 32))
        let keys = ParticipantKeys(seed: Self.seed, context: Self.context)
        let asym = Base58.encode([UInt8](repeating: 1, count: 32))
        let plus = PrivatePlusKey(asym, channelID: channelID)
        let sealed = try keys.sealed(with: dataKey, row: "r", plusKey: plus)
        let opened = try ParticipantKeys.open(sealed, with: dataKey, row: "r", plusKey: plus)
        #expect(opened.signing.publicKey == keys.signing.publicKey)
        let wrong = PrivatePlusKey(Base58.encode([UInt8](repeating: 2, count: 32)), channelID: channelID)
        #expect(throws: RequestError.self) { try ParticipantKeys.open(sealed, with: dataKey, row: "r", plusKey: wrong) }
        // The same text for another channel is another key.
        let otherChannel = PrivatePlusKey(asym, channelID: .zero)
        #expect(throws: RequestError.self) {
            try ParticipantKeys.open(sealed, with: dataKey, row: "r", plusKey: otherChannel)
        }
        #expect(throws: (any Error).self) { try ParticipantKeys.open(sealed, with: dataKey, row: "r", plusKey: nil) }
        // The IS rules: required on privatePlus channels, refused on others.
        #expect(throws: RequestError.self) {
            try PrivatePlusKey.required(nil, type: .privatePlus, channelID: channelID)
        }
        #expect(throws: RequestError.self) { try PrivatePlusKey.required(asym, type: .private, channelID: channelID) }
        #expect(try PrivatePlusKey.required(nil, type: .public, channelID: channelID) == nil)
    }
}
