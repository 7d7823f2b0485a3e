import CustosCore
import Testing

@Suite("Multibase, varint and multicodec")
struct MultiformatTests {
    private func bytes(_ hex: String) -> [UInt8] {
        try! Hex.decode(hex)
    }

    // MARK: Varint

    @Test(
        "Varint encodes minimally and decodes back",
        arguments: [
            (0, [0x00]),
            (1, [0x01]),
            (127, [0x7f]),
            (128, [0x80, 0x01]),
            (0xec, [0xec, 0x01]),
            (0xed, [0xed, 0x01]),
            (300, [0xac, 0x02]),
            (16_383, [0xff, 0x7f]),
            (16_384, [0x80, 0x80, 0x01]),
            (0x1300, [0x80, 0x26]),
            (0xb220, [0xa0, 0xe4, 0x02]),
            (UInt64(Int64.max), [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
        ] as [(UInt64, [UInt8])]
    )
    func varint(value: UInt64, encoded: [UInt8]) throws {
        #expect(Varint.encode(value) == encoded)
        let decoded = try Varint.decode(encoded)
        #expect(decoded.value == value)
        #expect(decoded.byteCount == encoded.count)
        let withTail = try Varint.decode(encoded + [0xAA, 0xBB])
        #expect(withTail.value == value && withTail.byteCount == encoded.count)
    }

    @Test("Varint rejects empty, truncated, non-minimal and too-long input")
    func varintRejections() {
        #expect(throws: CodecError(message: "empty varint")) { try Varint.decode([UInt8]()) }
        #expect(throws: CodecError(message: "truncated varint")) { try Varint.decode([0x80]) }
        #expect(throws: CodecError(message: "truncated varint")) { try Varint.decode([0xed]) }
        #expect(throws: CodecError(message: "non-minimal varint encoding")) { try Varint.decode([0x80, 0x00]) }
        #expect(throws: CodecError(message: "non-minimal varint encoding")) { try Varint.decode([0xed, 0x81, 0x00]) }
        #expect(throws: CodecError(message: "non-minimal varint encoding")) {
            try Varint.decode([0xff, 0x80, 0x80, 0x00])
        }
        let tenBytes: [UInt8] = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        #expect(throws: CodecError(message: "varint longer than 9 bytes")) { try Varint.decode(tenBytes) }
        #expect(Varint.encode(UInt64.max).count == 10)
        #expect(throws: CodecError.self) { try Varint.decode(Varint.encode(UInt64(1) << 63)) }
    }

    @Test("Varint round-trips values of every length")
    func varintRoundTrip() throws {
        var generator = SplitMix64(seed: 128)
        for _ in 0..<500 {
            let value = generator.next() >> (1 + generator.next() % 63)
            let encoded = Varint.encode(value)
            #expect(try Varint.decode(encoded[...]) == (value, encoded.count))
        }
    }

    // MARK: Multicodec

    @Test("Multicodec codes, prefixes and names")
    func multicodec() throws {
        #expect(Multicodec.ed25519Pub.rawValue == 0xed)
        #expect(Multicodec.x25519Pub.rawValue == 0xec)
        #expect(Multicodec.ed25519Priv.rawValue == 0x1300)
        #expect(Multicodec.sha2_256.rawValue == 0x12)
        #expect(Multicodec.blake2b_256.rawValue == 0xb220)
        // protocols.md §5.6: ed25519-priv is written 0x8026, i.e. the varint of 0x1300.
        #expect(Multicodec.prefix(.ed25519Priv, to: []) == [0x80, 0x26])
        #expect(Multicodec.prefix(.ed25519Pub, to: [1, 2, 3]) == [0xed, 0x01, 1, 2, 3])
        #expect(Multicodec.prefix(.sha2_256, to: [9]) == [0x12, 9])
        #expect(Multicodec.ed25519Pub.description == "ed25519-pub")
        #expect(Multicodec.blake2b_256.description == "blake2b-256")
        #expect(Multicodec(rawValue: 0x55).description == "0x55")
        #expect(Multicodec(rawValue: 0xed) == .ed25519Pub)
    }

    @Test("Multicodec split returns the codec and a zero-based payload")
    func multicodecSplit() throws {
        let (codec, payload) = try Multicodec.split([0x80, 0x26, 0xAA, 0xBB])
        #expect(codec == .ed25519Priv)
        #expect(payload == [0xAA, 0xBB])
        #expect(payload[0] == 0xAA)
        let empty = try Multicodec.split([0xed, 0x01])
        #expect(empty.codec == .ed25519Pub && empty.payload.isEmpty)
        let slice = try Multicodec.split([0xFF, 0xed, 0x01, 0x07][1...])
        #expect(slice.codec == .ed25519Pub && slice.payload == [0x07])
        #expect(throws: CodecError.self) { try Multicodec.split([UInt8]()) }
        #expect(throws: CodecError.self) { try Multicodec.split([0xed]) }
        #expect(throws: CodecError.self) { try Multicodec.split([0xed, 0x80, 0x00]) }
    }

    // MARK: Multibase

    @Test("did:key and W3C Data Integrity key vectors (protocols.md §5.3, §5.6)")
    func didKeyVectors() throws {
        let publicKey = bytes("3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29")
        let multikey = "z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
        #expect(Multibase.encode(Multicodec.prefix(.ed25519Pub, to: publicKey)) == multikey)
        let decoded = try Multibase.decode(multikey)
        #expect(decoded.base == .base58btc)
        let split = try Multicodec.split(decoded.bytes)
        #expect(split.codec == .ed25519Pub && split.payload == publicKey)

        let w3cPublic = bytes("b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f")
        let w3cSeed = bytes("c96ef9ea10c5e414c471723aff9de72c35fa5b70fae97e8832ecac7d2e2b8ed6")
        #expect(
            Multibase.encode(Multicodec.prefix(.ed25519Pub, to: w3cPublic), base: .base58btc)
                == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        )
        #expect(
            Multibase.encode(Multicodec.prefix(.ed25519Priv, to: w3cSeed))
                == "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
        )
        let privateKey = try Multicodec.split(
            try Multibase.decode("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq").bytes)
        #expect(privateKey.codec == .ed25519Priv && privateKey.payload == w3cSeed)

        let x25519 = try Multicodec.split(
            try Multibase.decode("z6LShs9GGnqk85isEBzzshkuVWrVKsRp24GnDuHk8QWkARMW").bytes)
        #expect(x25519.codec == .x25519Pub)
        #expect(x25519.payload == (try Base58.decode("7By6kV2t2d188odEM4ExAve1UithKT6dLva4dwsDT3ak")))

        let signature = bytes(
            "407cd12654b33d718ecbb99179a1506daaa849450bf3fc523cce3e1c96f8b803"
                + "51da3f253d725c6f00b07c9e5448d50b3ef78012b9ab54255116d069c6dd2808"
        )
        let proofValue = "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX"
        #expect(Multibase.encode(signature) == proofValue)
        #expect(try Multibase.decode(proofValue).bytes == signature)
    }

    @Test("Bitstring status list example decodes as multibase base64url to a GZIP stream")
    func statusListExample() throws {
        let encodedList = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"
        let (base, gzip) = try Multibase.decode(encodedList)
        #expect(base == .base64url)
        #expect(gzip.count == 51)
        #expect(Array(gzip.prefix(3)) == [0x1f, 0x8b, 0x08])
        #expect(Array(gzip.suffix(4)) == [0x00, 0x40, 0x00, 0x00])  // ISIZE = 16384, little-endian
        #expect(Multibase.encode(gzip, base: .base64url) == encodedList)
    }

    @Test("Multibase encodes each supported base and rejects others")
    func multibase() throws {
        let data: [UInt8] = [0x00, 0xfb, 0xff]
        #expect(Multibase.encode(data) == "z" + Base58.encode(data))
        #expect(Multibase.encode(data, base: .base64url) == "uAPv_")
        #expect(Multibase.encode(data, base: .base16) == "f00fbff")
        #expect(Multibase.encode([UInt8](), base: .base16) == "f")
        for base in [Multibase.Base.base58btc, .base64url, .base16] {
            let decoded = try Multibase.decode(Multibase.encode(data, base: base))
            #expect(decoded.base == base && decoded.bytes == data)
        }
        #expect(Multibase.Base.base58btc.rawValue == "z")
        #expect(try Multibase.decode("z").bytes.isEmpty)
        #expect(try Multibase.decode("uAPv_"[...]).bytes == data)

        #expect(throws: CodecError(message: "empty multibase string")) { try Multibase.decode("") }
        #expect(throws: CodecError(message: "unsupported multibase prefix 'm'")) { try Multibase.decode("mAPv/") }
        #expect(throws: CodecError(message: "unsupported multibase prefix 'F'")) { try Multibase.decode("F00FBFF") }
        #expect(throws: CodecError(message: "unsupported multibase prefix 'Z'")) { try Multibase.decode("Z1") }
        #expect(throws: CodecError(message: "unsupported multibase prefix U+00E9")) { try Multibase.decode("é") }
        #expect(throws: CodecError.self) { try Multibase.decode("z0OIl") }
        #expect(throws: CodecError.self) { try Multibase.decode("uAPv_=") }
        #expect(throws: CodecError.self) { try Multibase.decode("uAPv/") }
        #expect(throws: CodecError.self) { try Multibase.decode("f0") }
        #expect(throws: CodecError(message: "invalid base16 (lowercase) character 'F' at position 2")) {
            try Multibase.decode("f00FBFF")
        }
    }
}
