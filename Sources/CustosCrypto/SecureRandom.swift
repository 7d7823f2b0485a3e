import CSodium

/// The OS CSPRNG through libsodium (`getrandom(2)` on Linux).
public enum SecureRandom {
    /// `count` uniformly random bytes; `count` must not be negative.
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes(count:) needs a non-negative count, got \(count)")
        Sodium.ensureInitialized()
        return makeBytes(count: count) { out in
            randombytes_buf(out, count)
        }
    }

    /// A uniform value in `0..<upperBound` without modulo bias; returns 0 when `upperBound < 2`.
    public static func uniform(upperBound: UInt32) -> UInt32 {
        Sodium.ensureInitialized()
        return randombytes_uniform(upperBound)
    }
}
