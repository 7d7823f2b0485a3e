import CustosCore
import CustosCrypto
import CustosStreams
import Foundation
import Testing

/// The test vectors of docs/channels.md §12: the hex below is the hex printed there, so a change of format shows up
/// here first. The announce and the packet are rebuilt from the fixed keys; the keyload's reader slots are sealed
/// boxes with their own random keys, so the keyload is checked as given and rebuilt in every other byte.
@Suite("docs/channels.md test vectors")
struct ChannelVectorTests {
    static let announceHex = [
        "01010000000000000000000000000000000000000000000000000000000000000000000000008a88e3dd7409f195fd52db2d",
        "3cba5d72ca6709bf1d94121bf3748801b40f6f5c000000000000000000000000000000000000000000000000000000000000",
        "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000a8da769b010000",
        "3100000001ce8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d5909090909090909090909090909",
        "090909000000000000000000000000000000000000000000000000000000000000000000000000903163ee07c60112f58b78",
        "bb70a39f3bba7c3a624b9ca95263b8c3f619e54151636a799c195969114dcfd7ee175fd6c773e110955fe688abfd66fd1476",
        "fcfb0e",
    ].joined()
    static let keyloadHex = [
        "0102e2c2acca9b32d3d6cace8bab924991e839e2407a75398f7f9ce4a3c5f29884eb010000008a88e3dd7409f195fd52db2d",
        "3cba5d72ca6709bf1d94121bf3748801b40f6f5c0100000000000000e2c2acca9b32d3d6cace8bab924991e839e2407a7539",
        "8f7f9ce4a3c5f29884ebe2c2acca9b32d3d6cace8bab924991e839e2407a75398f7f9ce4a3c5f29884eb01a8da769b010000",
        "c801000013be4feaeaf204c7fd3358fc9c00721881d174278128227ec674f37f7fe97b6d58f5a66aba66616f5ceb010f7f69",
        "58105acded23c20ce6754c9e2519ce026b5802003a340e39f07d531ce77b15e4182af3505a6b019d9f91314cb3c503b3eca3",
        "d1768363244f29fe8b4e89e54741a3b90d16c367ccaed834a60368adf13e719508807d0aecebe8553bc56c206cbcd8817339",
        "c7647532b640d1e9f4df006f446652701a64b12aa8cc97551f73dcf2705470d699738b20e1605baaeb0f3e45ec3edf24b955",
        "a53d8a11c32b7715de7a2bd9f547cb7090676b586338a1705a958f7a729bcf848c98e095a3826895fc048a454e6684413082",
        "2ff0070a98b6bb03bf58e4bc973bbd84292d8114bfd15d8dcc1631ebfc81aabdefe5baf6535dc5c2a550ec40f69ca124222e",
        "c6cb01000162e4e3060848dfcd210441fc929f960a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a8a7bf422e49d",
        "46b572221abb0f9172debb6fa20806eff94e3aef8fd13c1425a2fa3f039f6713c0157b131042c81915c902006e7a1cdd29b0",
        "b78fd13af4c5598feff4ef2a97166e3ca6f2e4fbfccd80505bf102ed4928c628d1c2c6eae90338905995612959273a5c63f9",
        "3636c14614ac8737d103000000000000000000000000000000000000000000000000000000000000000000000000556bdf7d",
        "e96a5a1ad45c2faaf14e44fffa9a82e5250e9c54ffb3c3d9ea59f06fa5184b87109985bb39792f423948edfbfd21db9dd6e2",
        "e07dda97f6a0fffdf305",
    ].joined()
    static let packetHex = [
        "0103e2c2acca9b32d3d6cace8bab924991e839e2407a75398f7f9ce4a3c5f29884eb01000000ed4928c628d1c2c6eae90338",
        "905995612959273a5c63f93636c14614ac8737d1000000000000000000000000000000000000000000000000000000000000",
        "00000000000000000000649078f65722770fec4aff456ff3f4014393d85954563b561e70c7f0195ebf9002a8da769b010000",
        "0d000000646f6f722037206f70656e656473b2d8b76aa9b53660032bc8f5d8bee3a3ae4e3b3a7fd49ade81f7347a34aa6832",
        "0000000c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c4c773a99eea302fdc73556bd2bb636e43729dbe3a3abc5",
        "5307243d548c2dd69bacf6c0d3a21b7f6d0a04f6ba1fb7ce4ac65105810248f872d27ab9215cf18ccbf5a423ef9438e38370",
        "9a074c632a807a4aeb509b1b44040c8104",
    ].joined()
    static let channelID = try! Digest32(hex: "e2c2acca9b32d3d6cace8bab924991e839e2407a75398f7f9ce4a3c5f29884eb")
    static let keyloadID = try! Digest32(hex: "649078f65722770fec4aff456ff3f4014393d85954563b561e70c7f0195ebf90")
    static let packetID = try! Digest32(hex: "ce8d77329fd507aa0349cdaff2f95e8a4417b6d1ee45b4ff264f8de32f2d454d")
    static let address =
        "e2c2acca9b32d3d6cace8bab924991e839e2407a75398f7f9ce4a3c5f29884eb674acc55bd29599b:ee823a14df54a8ed286a0201"

    static let signaturePrefix = try! Hex.decode("637573746f732f6368616e6e656c2f76312f7369676e617475726500")

    @Test("the announce is rebuilt byte for byte; its id is the channel id, its address the documented one")
    func announce() throws {
        let (_, announce) = try Fixtures.announce()
        #expect(Hex.encode(announce.bytes) == Self.announceHex)
        #expect(announce.id == Self.channelID)
        #expect(ChannelAddress(channelID: announce.id).description == Self.address)
        #expect(try ChannelAddress(Self.address).channelID == Self.channelID)
        #expect(Array("custos/channel/v1/signature".utf8) + [0] == Self.signaturePrefix)
        #expect(
            Fixtures.authorSigning.publicKey.isValidSignature(
                announce.trailer, for: Self.signaturePrefix + announce.body))
    }

    @Test("the keyload verifies, opens for the author, the reader and the PSK, and is rebuilt but for its slots")
    func keyload() throws {
        let keyload = try Envelope(bytes: try Hex.decode(Self.keyloadHex))
        #expect(keyload.bytes.count == 710)
        #expect(keyload.id == Self.keyloadID)
        #expect(keyload.hasValidSignature)
        let content = try #require(keyload.keyloadContent)
        #expect(
            Hex.encode(content.keyCommitment)
                == Hex.encode(Fixtures.epochSecret.commitment(channelID: Self.channelID, epoch: 1)))
        #expect(
            content.pskSlots == [
                try Fixtures.epochSecret.pskSlot(
                    for: Fixtures.psk, channelID: Self.channelID, epoch: 1, nonce: Fixtures.pskNonce)
            ])
        #expect(Hex.encode(Fixtures.psk.id(in: Self.channelID)) == "0162e4e3060848dfcd210441fc929f96")
        let (_, announce) = try Fixtures.announce()
        let credentials: [ReaderCredentials] = [
            ReaderCredentials(keyAgreementKey: Fixtures.authorAgreement),
            ReaderCredentials(keyAgreementKey: Fixtures.readerAgreement),
            ReaderCredentials(presharedKeys: [Fixtures.psk]),
        ]
        for credential in credentials {
            var reader = ChannelReader(channelID: Self.channelID, credentials: credential)
            _ = try reader.receive(announce)
            #expect(try reader.receive(keyload).content.access == .readable)
            #expect(reader.epochSecret(1)?.rawRepresentation == Fixtures.epochSecret.rawRepresentation)
        }
        var (author, _) = try Fixtures.announce()
        let rebuilt = try author.keyload(
            members: [Fixtures.writer, Fixtures.reader], presharedKeys: [Fixtures.psk], claimedTime: Fixtures.time + 1,
            secret: Fixtures.epochSecret, pskNonces: [Fixtures.pskNonce])
        let rebuiltContent = try #require(rebuilt.keyloadContent)
        let withPinnedSlots = try KeyloadContent(
            epochPublicKey: rebuiltContent.epochPublicKey, keyCommitment: rebuiltContent.keyCommitment,
            readerSlots: content.readerSlots, pskSlots: rebuiltContent.pskSlots, grants: rebuiltContent.grants)
        var draft = EnvelopeDraft(rebuilt)
        draft.publicPayload = withPinnedSlots.bytes
        #expect(try draft.signed(by: Fixtures.authorSigning) == keyload)
    }

    @Test("the writer's packet is rebuilt byte for byte from the pinned keyload and opens with the epoch secret")
    func signedPacket() throws {
        let (_, announce) = try Fixtures.announce()
        var reader = ChannelReader(
            channelID: Self.channelID, credentials: ReaderCredentials(keyAgreementKey: Fixtures.readerAgreement))
        _ = try reader.receive(announce)
        _ = try reader.receive(try Envelope(bytes: try Hex.decode(Self.keyloadHex)))
        var writer = ChannelPublisher(channelID: Self.channelID, signingKey: Fixtures.writerSigning)
        let packet = try writer.signedPacket(
            in: try #require(reader.currentEpoch), publicPayload: Array("door 7 opened".utf8),
            privatePayload: Array("badge 4711".utf8), claimedTime: Fixtures.time + 2,
            randomness: Fixtures.packetRandomness)
        #expect(Hex.encode(packet.bytes) == Self.packetHex)
        #expect(packet.id == Self.packetID)
        #expect(try reader.receive(packet).content.privatePayload == .plaintext(Array("badge 4711".utf8)))
        // The content key of §6, derived here from the document's formula rather than by the module.
        let ephemeral = Fixtures.packetRandomness.ephemeralKey
        let shared = try ephemeral.sharedSecret(with: Fixtures.epochSecret.publicKey)
        #expect(Hex.encode(shared) == "9c97ac60e1a4db8a092e3cdbada37b2404f6c9477a2e0bc4833f7b8957c4887e")
        #expect(
            Hex.encode(BLAKE2b.hash256(packet.header))
                == "2235b83791cf0730265d69b9c5a0f66eca0908c0ac7587f9c2e2b97ad520a0d1")
        let key = try BLAKE2b.hash(
            Array("custos/channel/v1/packet-key".utf8) + [0] + ephemeral.publicKey.rawRepresentation
                + Fixtures.epochSecret.publicKey.rawRepresentation + BLAKE2b.hash256(packet.header),
            key: shared)
        #expect(Hex.encode(key) == "f7bf09faf80964a73f32b02bf3954a169959201455c2f3e6e0fbd5c9a9a73ebf")
        #expect(
            try XChaCha20Poly1305.open(
                packet.sealed, using: SymmetricKey(rawRepresentation: key), authenticating: packet.header)
                == Array("badge 4711".utf8))
    }

    /// Whether python3 can load libsodium, which the independent implementation needs.
    static let hasPythonWithSodium: Bool = {
        (try? run(["-c", "import ctypes, ctypes.util, sys; sys.exit(ctypes.util.find_library('sodium') is None)"]))?
            .status == 0
    }()

    @Test(
        "an independent Python implementation of the document agrees on every vector",
        .enabled(if: hasPythonWithSodium, "needs python3 and libsodium"))
    func independentImplementation() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let document = tests.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/channels.md")
        let result = try Self.run([tests.appendingPathComponent("Interop/check_channels.py").path, document.path])
        #expect(result.status == 0, "\(result.output)")
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
