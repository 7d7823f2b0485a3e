import CustosCore
import CustosLedger
import Testing

@Suite struct MessageCodecTests {
    /// Cross-checked with Python's hashlib.blake2b (digest_size=32) and struct packing.
    static let networkName = "custos-test"
    static let networkID: UInt64 = 12_517_815_973_292_005_131
    static let genesis = "18528447143d2cf24850316d648e629b3a67d5ec884095942549d58d352c014e"
    static let vectorHex =
        "010bd7c7334e37b8ad0118528447143d2cf24850316d648e629b3a67d5ec884095942549d58d352c014e1a0000000500000006637573"
        + "746f730b00000068656c6c6f20776f726c640000000000000000"
    static let vectorID = "4888f88d99972a3a4df119f88a74331bd673d7779cd775a382c261be92caae03"

    static func vectorMessage() throws -> LedgerMessage {
        try LedgerMessage(
            networkID: LedgerMessage.networkID(forName: networkName),
            parents: [LedgerMessage.genesisParent(networkID: networkID)],
            payload: .taggedData(try TaggedData(tag: Array("custos".utf8), data: Array("hello world".utf8))))
    }

    @Test func regressionVector() throws {
        #expect(LedgerMessage.networkID(forName: Self.networkName) == Self.networkID)
        #expect(LedgerMessage.genesisParent(networkID: Self.networkID).hex == Self.genesis)
        let message = try Self.vectorMessage()
        #expect(Hex.encode(message.serialized()) == Self.vectorHex)
        #expect(message.id.hex == Self.vectorID)
        let parsed = try LedgerMessage(bytes: try Hex.decode(Self.vectorHex))
        #expect(parsed == message)
        #expect(LedgerMessage.id(of: try Hex.decode(Self.vectorHex)).hex == Self.vectorID)
        #expect(parsed.payload.taggedData?.tag == Array("custos".utf8))
        #expect(parsed.payload.milestone == nil)
    }

    static func bytes() -> [UInt8] { try! Hex.decode(vectorHex) }

    /// The byte offset of the payload length field in the vector (one parent).
    static let payloadLengthOffset = 1 + 8 + 1 + 32

    @Test func truncationAtEveryLengthIsRejected() {
        let bytes = Self.bytes()
        for length in 0..<bytes.count {
            #expect(throws: LedgerError.self, "length \(length)") {
                try LedgerMessage(bytes: Array(bytes.prefix(length)))
            }
        }
    }

    @Test func adversarialDecodes() throws {
        let bytes = Self.bytes()
        var trailing = bytes
        trailing.append(0)
        #expect(throws: LedgerError("message has 1 trailing bytes")) { try LedgerMessage(bytes: trailing) }

        var nonce = bytes
        nonce[nonce.count - 1] = 1
        #expect(throws: LedgerError("nonce must be 0")) { try LedgerMessage(bytes: nonce) }

        var version = bytes
        version[0] = 2
        #expect(throws: LedgerError("unsupported message version 2")) { try LedgerMessage(bytes: version) }

        var unknownType = bytes
        unknownType[Self.payloadLengthOffset + 4] = 6
        #expect(throws: LedgerError("unknown payload type 6")) { try LedgerMessage(bytes: unknownType) }

        var longTag = bytes
        longTag[Self.payloadLengthOffset + 8] = 65
        #expect(throws: LedgerError.self) { try LedgerMessage(bytes: longTag) }

        // A payload length that claims one byte more than the payload has swallows the nonce's first byte.
        var payloadTooLong = bytes
        payloadTooLong[Self.payloadLengthOffset] += 1
        #expect(throws: LedgerError.self) { try LedgerMessage(bytes: payloadTooLong) }
        var payloadTooShort = bytes
        payloadTooShort[Self.payloadLengthOffset] -= 1
        #expect(throws: LedgerError.self) { try LedgerMessage(bytes: payloadTooShort) }
    }

    /// Rebuilds the vector with a different parent list (count byte plus parents).
    static func withParents(_ parents: [[UInt8]]) -> [UInt8] {
        let bytes = Self.bytes()
        return Array(bytes[0..<9]) + [UInt8(parents.count)] + parents.flatMap { $0 }
            + bytes[Self.payloadLengthOffset...]
    }

    @Test func parentRulesAreEnforcedOnDecode() {
        let low = [UInt8](repeating: 1, count: 32)
        let high = [UInt8](repeating: 2, count: 32)
        #expect((try? LedgerMessage(bytes: Self.withParents([low, high]))) != nil)
        #expect(throws: LedgerError("parents must be sorted and unique")) {
            try LedgerMessage(bytes: Self.withParents([high, low]))
        }
        #expect(throws: LedgerError("parents must be sorted and unique")) {
            try LedgerMessage(bytes: Self.withParents([low, low]))
        }
        #expect(throws: LedgerError("a message needs 1 to 8 parents, got 0")) {
            try LedgerMessage(bytes: Self.withParents([]))
        }
        let nine = (1...9).map { [UInt8](repeating: UInt8($0), count: 32) }
        #expect(throws: LedgerError("a message needs 1 to 8 parents, got 9")) {
            try LedgerMessage(bytes: Self.withParents(nine))
        }
        #expect((try? LedgerMessage(bytes: Self.withParents(Array(nine.prefix(8))))) != nil)
    }

    @Test func sizeLimitIsEnforced() throws {
        let parent = LedgerMessage.genesisParent(networkID: 1)
        // Fixed fields (22), one parent (32) and the tagged-data header with a 6-byte tag (15).
        let fits = LedgerMessage.maximumByteCount - 22 - 32 - 15
        let big = try LedgerMessage(
            networkID: 1, parents: [parent],
            payload: .taggedData(try TaggedData(tag: [1, 2, 3, 4, 5, 6], data: .init(repeating: 7, count: fits))))
        #expect(big.serialized().count == LedgerMessage.maximumByteCount)
        #expect(try LedgerMessage(bytes: big.serialized()) == big)
        #expect(throws: LedgerError.self) {
            try LedgerMessage(
                networkID: 1, parents: [parent],
                payload: .taggedData(
                    try TaggedData(tag: [1, 2, 3, 4, 5, 6], data: .init(repeating: 7, count: fits + 1))))
        }
        var oversize = big.serialized()
        oversize.append(0)
        #expect(throws: LedgerError("message is 32769 bytes; at most 32768 are allowed")) {
            try LedgerMessage(bytes: oversize)
        }
        #expect(throws: LedgerError("parents must be unique")) {
            try LedgerMessage(networkID: 1, parents: [parent, parent], payload: big.payload)
        }
    }
}
