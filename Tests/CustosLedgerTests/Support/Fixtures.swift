import CustosCore
import CustosCrypto
import CustosLedger

/// Parses a hex literal; a bad literal is a bug in the test.
func digest(_ hex: String) -> Digest32 {
    try! Digest32(hex: hex)
}

/// A deterministic key from a one-byte seed pattern.
func seededKey(_ byte: UInt8) -> Ed25519.PrivateKey {
    try! Ed25519.PrivateKey(seed: [UInt8](repeating: byte, count: 32))
}

/// A note signer for tests.
func signer(_ name: String, seed byte: UInt8) -> NoteSigner {
    try! NoteSigner(name: name, privateKey: seededKey(byte))
}

/// A deterministic 32-byte value derived from an integer, for synthetic leaves and ids.
func syntheticDigest(_ value: Int, salt: String = "leaf") -> Digest32 {
    try! Digest32(bytes: SHA256.hash(Array("\(salt):\(value)".utf8)))
}

/// SplitMix64: a small seeded generator so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Flips one bit of a digest.
func flipped(_ hash: Digest32, bit: Int) -> Digest32 {
    var bytes = hash.bytes
    bytes[bit / 8] ^= UInt8(1) << (bit % 8)
    return try! Digest32(bytes: bytes)
}
