import CustosCore

/// Decides whether a newer checkpoint may replace a pinned one: same log, not smaller, and provably an
/// extension of it. Clients that keep their last checkpoint and run this on every update detect rollbacks
/// and split views.
public enum ConsistencyCheck {
    /// How the newer checkpoint relates to the pinned one.
    public enum Outcome: Sendable, Hashable {
        /// Same size and root.
        case unchanged
        /// The log grew from the first size to the second, append-only.
        case extended(from: UInt64, to: UInt64)
    }

    /// Compares two (already verified) checkpoints using a consistency proof from the pinned size to the newer.
    public static func verify(pinned: Checkpoint, newer: Checkpoint, proof: [Digest32]) throws(ConsistencyError)
        -> Outcome
    {
        guard pinned.origin == newer.origin else { throw .originMismatch(pinned: pinned.origin, newer: newer.origin) }
        guard newer.size >= pinned.size else { throw .rollback(pinnedSize: pinned.size, newerSize: newer.size) }
        if newer.size == pinned.size {
            guard newer.root == pinned.root else {
                throw .splitView(size: pinned.size, pinnedRoot: pinned.root, newerRoot: newer.root)
            }
            guard proof.isEmpty else {
                let reason = ProofError.consistencyProofLength(
                    actual: proof.count, expected: 0, size1: pinned.size, size2: newer.size)
                throw .inconsistent(pinnedSize: pinned.size, newerSize: newer.size, reason: reason)
            }
            return .unchanged
        }
        // Every tree extends the empty tree, for which RFC 9162 defines no proof.
        if pinned.size == 0 {
            guard proof.isEmpty else {
                let reason = ProofError.consistencyFromEmptyTree(size2: newer.size)
                throw .inconsistent(pinnedSize: 0, newerSize: newer.size, reason: reason)
            }
            return .extended(from: 0, to: newer.size)
        }
        do {
            try MerkleVerifier.verifyConsistency(
                size1: pinned.size, size2: newer.size, proof: proof, root1: pinned.root, root2: newer.root)
        } catch {
            throw .inconsistent(pinnedSize: pinned.size, newerSize: newer.size, reason: error)
        }
        return .extended(from: pinned.size, to: newer.size)
    }

    /// Parses and verifies both signed notes under `key`, then compares them.
    public static func verify(
        pinnedNote: String, newerNote: String, proof: [Digest32], key: NoteVerifierKey
    ) throws(ConsistencyError) -> Outcome {
        let pinned: Checkpoint
        let newer: Checkpoint
        do {
            pinned = try Checkpoint.verified(note: pinnedNote, keys: [key])
            newer = try Checkpoint.verified(note: newerNote, keys: [key])
        } catch {
            throw .checkpoint(error)
        }
        return try verify(pinned: pinned, newer: newer, proof: proof)
    }
}
