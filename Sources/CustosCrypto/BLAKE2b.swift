import CSodium

/// BLAKE2b (RFC 7693) with optional key and personalization, as `crypto_generichash_blake2b`.
///
/// A value type: copying a hasher forks its state, so a common prefix can be hashed once and reused.
/// `finalize()` neither consumes nor changes the hasher, so it can also report running digests.
public struct BLAKE2b: Sendable {
    /// Default digest size (BLAKE2b-256), used for message ids and Merkle nodes.
    public static let defaultOutputByteCount = 32
    /// Accepted digest sizes; libsodium's minimum is 16.
    public static let outputByteCountRange = 16...64
    /// Maximum key size; an empty or nil key means unkeyed hashing.
    public static let maximumKeyByteCount = 64
    /// Personalization is always this long inside BLAKE2b; shorter strings are zero-padded.
    public static let personalizationByteCount = 16

    private var state: State
    private let outputByteCount: Int

    /// Starts a hash; a `personalization` shorter than 16 bytes is zero-padded, a longer one throws.
    ///
    /// Zero-padding matches the reference implementation and Python's `hashlib.blake2b(person=…)`.
    public init(
        outputByteCount: Int = BLAKE2b.defaultOutputByteCount,
        key: [UInt8]? = nil,
        personalization: [UInt8]? = nil
    ) throws(CryptoError) {
        guard Self.outputByteCountRange.contains(outputByteCount) else {
            throw .invalidParameter("BLAKE2b output must be 16...64 bytes, got \(outputByteCount)")
        }
        let key = key ?? []
        guard key.count <= Self.maximumKeyByteCount else {
            throw .invalidParameter("BLAKE2b key must be at most 64 bytes, got \(key.count)")
        }
        let personal = personalization ?? []
        guard personal.count <= Self.personalizationByteCount else {
            throw .invalidParameter("BLAKE2b personalization must be at most 16 bytes, got \(personal.count)")
        }
        let paddedPersonal = personal + [UInt8](repeating: 0, count: Self.personalizationByteCount - personal.count)
        Sodium.ensureInitialized()
        self.outputByteCount = outputByteCount
        state = State()
        let status = key.withContiguousBytes { keyPointer, keyCount in
            crypto_generichash_blake2b_init_salt_personal(
                state.pointer, keyPointer, keyCount, outputByteCount, nil, paddedPersonal)
        }
        precondition(status == 0, "crypto_generichash_blake2b_init_salt_personal rejected validated parameters")
    }

    /// Absorbs more input.
    public mutating func update(_ bytes: some Collection<UInt8>) {
        if !isKnownUniquelyReferenced(&state) {
            state = State(copying: state)
        }
        bytes.withContiguousBytes { input, count in
            _ = crypto_generichash_blake2b_update(state.pointer, input, UInt64(count))
        }
    }

    /// Returns the digest of everything absorbed so far; works on a copy, so the hasher stays usable.
    public func finalize() -> [UInt8] {
        let scratch = State(copying: state)
        return makeBytes(count: outputByteCount) { out in
            _ = crypto_generichash_blake2b_final(scratch.pointer, out, outputByteCount)
        }
    }

    /// One-shot hash with the same parameter rules as `init`.
    public static func hash(
        _ bytes: some Collection<UInt8>,
        outputByteCount: Int = BLAKE2b.defaultOutputByteCount,
        key: [UInt8]? = nil,
        personalization: [UInt8]? = nil
    ) throws(CryptoError) -> [UInt8] {
        var hasher = try BLAKE2b(outputByteCount: outputByteCount, key: key, personalization: personalization)
        hasher.update(bytes)
        return hasher.finalize()
    }

    /// Unkeyed BLAKE2b-256, the hot path for ids and Merkle hashing; cannot fail.
    public static func hash256(_ bytes: some Collection<UInt8>) -> [UInt8] {
        Sodium.ensureInitialized()
        return bytes.withContiguousBytes { input, count in
            makeBytes(count: 32) { out in
                _ = crypto_generichash_blake2b(out, 32, input, UInt64(count), nil, 0)
            }
        }
    }

    /// Copy-on-write box for the libsodium state.
    ///
    /// Swift cannot import the 64-byte-aligned C struct, so it lives in an aligned heap allocation. The box is only
    /// written while uniquely referenced (see `update`), the usual CoW rule that makes the value type `Sendable`.
    private final class State: @unchecked Sendable {
        private static let byteCount = crypto_generichash_blake2b_statebytes()
        private static let alignment = 64
        private let raw: UnsafeMutableRawPointer

        var pointer: OpaquePointer { OpaquePointer(raw) }

        init() {
            raw = .allocate(byteCount: Self.byteCount, alignment: Self.alignment)
            raw.initializeMemory(as: UInt8.self, repeating: 0, count: Self.byteCount)
        }

        init(copying other: State) {
            raw = .allocate(byteCount: Self.byteCount, alignment: Self.alignment)
            raw.copyMemory(from: other.raw, byteCount: Self.byteCount)
        }

        deinit {
            // A keyed state holds the key block until the first compression.
            sodium_memzero(raw, Self.byteCount)
            raw.deallocate()
        }
    }
}
