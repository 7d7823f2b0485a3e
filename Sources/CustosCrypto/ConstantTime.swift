import CSodium

/// Compares secrets (MACs, tokens, key commitments) without an early exit that would leak the mismatch position.
///
/// Returns `false` when the lengths differ; lengths are treated as public.
public func constantTimeEquals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
    guard a.count == b.count else { return false }
    guard !a.isEmpty else { return true }
    Sodium.ensureInitialized()
    return a.withContiguousBytes { left, count in
        b.withContiguousBytes { right, _ in
            sodium_memcmp(left, right, count) == 0
        }
    }
}
