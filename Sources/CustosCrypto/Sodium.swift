import CSodium

/// `sodium_init()` must run before any other libsodium call; a global `let` is initialised lazily and exactly once
/// (via `swift_once`), which gives thread-safe one-time setup without a lock of our own.
private let sodiumReady: Bool = sodium_init() >= 0

/// Internal entry point every primitive calls before touching libsodium.
enum Sodium {
    /// Initialises libsodium on first use; a failure means no usable randomness, so we stop.
    @inline(__always)
    static func ensureInitialized() {
        precondition(sodiumReady, "libsodium failed to initialise (sodium_init() < 0)")
    }
}

extension Collection<UInt8> {
    /// Hands libsodium a contiguous view without copying arrays and slices; other collections are copied once.
    ///
    /// The pointer is never null, even for an empty input, because libsodium declares most inputs `nonnull`.
    func withContiguousBytes<R>(_ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
        if isEmpty {
            var placeholder: UInt8 = 0
            return withUnsafePointer(to: &placeholder) { body($0, 0) }
        }
        if let result = withContiguousStorageIfAvailable({ body($0.baseAddress!, $0.count) }) {
            return result
        }
        return Array(self).withUnsafeBufferPointer { body($0.baseAddress!, $0.count) }
    }
}

/// Creates an array of exactly `count` bytes filled in by a C function.
///
/// The capacity is at least one byte so the output pointer is never null, even for empty results.
@inline(__always)
func makeBytes(count: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Void) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: max(count, 1)) { buffer, initializedCount in
        fill(buffer.baseAddress!)
        initializedCount = count
    }
}

/// Overwrites an array that held secret or unauthenticated data before it is dropped.
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
        if let base = buffer.baseAddress {
            sodium_memzero(base, buffer.count)
        }
    }
}

/// Lower-case hex, used only for public values in descriptions.
func hexString(_ bytes: some Collection<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}

/// Secret material that is wiped when the last reference goes away.
///
/// Arrays can be copied and reallocated behind our back, so secrets live in a dedicated allocation whose
/// lifetime we control. It is immutable after `init`, which is why sharing it across threads is safe.
final class SecretBytes: @unchecked Sendable {
    let count: Int
    private let storage: UnsafeMutablePointer<UInt8>

    /// Copies `bytes` into fresh storage.
    convenience init(_ bytes: some Collection<UInt8>) {
        self.init(count: bytes.count) { destination in
            bytes.withContiguousBytes { source, count in
                destination.update(from: source, count: count)
            }
        }
    }

    /// Lets a C function write the secret directly, so it never passes through an `Array`.
    init(count: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Void) {
        self.count = count
        storage = .allocate(capacity: max(count, 1))
        storage.initialize(repeating: 0, count: max(count, 1))
        fill(storage)
    }

    deinit {
        sodium_memzero(storage, max(count, 1))
        storage.deallocate()
    }

    /// A copy the caller owns (and is responsible for).
    var bytes: [UInt8] {
        Array(UnsafeBufferPointer(start: storage, count: count))
    }

    /// Read access for libsodium calls.
    func withUnsafePointer<R>(_ body: (UnsafePointer<UInt8>) -> R) -> R {
        body(storage)
    }
}
