import CustosCore

/// Why a newer checkpoint cannot be accepted after a pinned one: the log rolled back or showed a split view.
public enum ConsistencyError: CustosError, Equatable {
    /// The two checkpoints are for different logs.
    case originMismatch(pinned: String, newer: String)
    /// A signed note did not parse or verify.
    case checkpoint(NoteError)
    /// The newer checkpoint is smaller than the pinned one: the log forgot entries it had committed to.
    case rollback(pinnedSize: UInt64, newerSize: UInt64)
    /// Two checkpoints of one size with different roots: the log shows different histories to different
    /// readers.
    case splitView(size: UInt64, pinnedRoot: Digest32, newerRoot: Digest32)
    /// The consistency proof fails: the newer tree does not extend the pinned one (a split view).
    case inconsistent(pinnedSize: UInt64, newerSize: UInt64, reason: ProofError)

    /// Rollbacks and split views are evidence of log misbehaviour, reported as conflicts; the rest is bad input.
    public var kind: ErrorKind {
        switch self {
        case .rollback, .splitView, .inconsistent: .conflict
        case .originMismatch, .checkpoint: .invalidInput
        }
    }

    /// One sentence naming what the log did wrong.
    public var description: String {
        switch self {
        case .originMismatch(let pinned, let newer):
            "checkpoints are for different logs: pinned \"\(pinned)\", newer \"\(newer)\""
        case .checkpoint(let error):
            "checkpoint is rejected: \(error)"
        case .rollback(let pinnedSize, let newerSize):
            "rollback: the newer checkpoint has size \(newerSize), smaller than the pinned size \(pinnedSize)"
        case .splitView(let size, let pinnedRoot, let newerRoot):
            "split view: two checkpoints of size \(size) have roots \(pinnedRoot) and \(newerRoot)"
        case .inconsistent(let pinnedSize, let newerSize, let reason):
            "split view: the tree of size \(newerSize) does not extend the pinned tree of size \(pinnedSize) (\(reason))"
        }
    }
}
