import CustosCore

/// Why a Merkle proof could not be produced or did not verify; every case names the sizes involved.
public enum ProofError: CustosError, Equatable {
    /// A leaf index at or beyond the tree size.
    case indexOutOfRange(index: UInt64, size: UInt64)
    /// A tree size larger than the log (or tile set) the proof is drawn from.
    case sizeBeyondLog(size: UInt64, available: UInt64)
    /// An inclusion proof with the wrong number of hashes for its index and tree size.
    case inclusionProofLength(actual: Int, expected: Int, index: UInt64, size: UInt64)
    /// An inclusion proof that hashes up to a root other than the expected one.
    case inclusionRootMismatch(index: UInt64, size: UInt64, computed: Digest32, expected: Digest32)
    /// A consistency check whose first tree is larger than its second.
    case consistencySizesReversed(size1: UInt64, size2: UInt64)
    /// A consistency check from the empty tree, which RFC 9162 leaves undefined.
    case consistencyFromEmptyTree(size2: UInt64)
    /// A consistency proof with the wrong number of hashes for its two sizes.
    case consistencyProofLength(actual: Int, expected: Int, size1: UInt64, size2: UInt64)
    /// A consistency proof that does not reproduce the first root.
    case consistencyFirstRootMismatch(size1: UInt64, computed: Digest32, expected: Digest32)
    /// A consistency proof that does not reproduce the second root.
    case consistencySecondRootMismatch(size2: UInt64, computed: Digest32, expected: Digest32)
    /// Two trees of one size with different roots: no proof can reconcile them.
    case equalSizesDifferentRoots(size: UInt64, root1: Digest32, root2: Digest32)
    /// A tile needed to read a hash is not available.
    case missingTile(path: String)
    /// A tile whose byte count does not match its declared width.
    case malformedTile(path: String, byteCount: Int, expected: Int)

    /// Missing tiles are absent resources; everything else is bad input.
    public var kind: ErrorKind {
        switch self {
        case .missingTile: .notFound
        default: .invalidInput
        }
    }

    /// One sentence with the numbers a caller needs to see what was wrong.
    public var description: String {
        switch self {
        case .indexOutOfRange(let index, let size):
            "leaf index \(index) is not below the tree size \(size)"
        case .sizeBeyondLog(let size, let available):
            "tree size \(size) exceeds the \(available) leaves available"
        case .inclusionProofLength(let actual, let expected, let index, let size):
            "inclusion proof has \(actual) hashes, expected \(expected) for index \(index) in a tree of \(size)"
        case .inclusionRootMismatch(let index, let size, let computed, let expected):
            "inclusion proof for index \(index) in a tree of \(size) leads to root \(computed), expected \(expected)"
        case .consistencySizesReversed(let size1, let size2):
            "consistency proof from size \(size1) to the smaller size \(size2) is impossible"
        case .consistencyFromEmptyTree(let size2):
            "consistency proof from the empty tree to size \(size2) is not defined; the first size must be positive"
        case .consistencyProofLength(let actual, let expected, let size1, let size2):
            "consistency proof has \(actual) hashes, expected \(expected) from size \(size1) to \(size2)"
        case .consistencyFirstRootMismatch(let size1, let computed, let expected):
            "consistency proof reproduces root \(computed) for size \(size1), expected \(expected)"
        case .consistencySecondRootMismatch(let size2, let computed, let expected):
            "consistency proof reproduces root \(computed) for size \(size2), expected \(expected)"
        case .equalSizesDifferentRoots(let size, let root1, let root2):
            "two trees of size \(size) have different roots \(root1) and \(root2)"
        case .missingTile(let path):
            "tile \(path) is needed but not available"
        case .malformedTile(let path, let byteCount, let expected):
            "tile \(path) has \(byteCount) bytes, expected \(expected)"
        }
    }
}
