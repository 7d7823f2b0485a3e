import CustosCore
import CustosCrypto

/// A direct transcription of the recursive RFC 6962 definitions (MTH, PATH, SUBPROOF), independent of the
/// module's code, used as the oracle in property tests.
enum NaiveMerkle {
    static func node(_ left: Digest32, _ right: Digest32) -> Digest32 {
        try! Digest32(bytes: SHA256.hash([1] + left.bytes + right.bytes))
    }

    static func split(_ count: Int) -> Int {
        var k = 1
        while k * 2 < count { k *= 2 }
        return k
    }

    static func root(_ leaves: ArraySlice<Digest32>) -> Digest32 {
        switch leaves.count {
        case 0: return try! Digest32(bytes: SHA256.hash([UInt8]()))
        case 1: return leaves.first!
        default:
            let k = split(leaves.count)
            let middle = leaves.startIndex + k
            return node(root(leaves[..<middle]), root(leaves[middle...]))
        }
    }

    static func path(_ index: Int, _ leaves: ArraySlice<Digest32>) -> [Digest32] {
        guard leaves.count > 1 else { return [] }
        let k = split(leaves.count)
        let middle = leaves.startIndex + k
        if index < k { return path(index, leaves[..<middle]) + [root(leaves[middle...])] }
        return path(index - k, leaves[middle...]) + [root(leaves[..<middle])]
    }

    static func subproof(_ m: Int, _ leaves: ArraySlice<Digest32>, _ complete: Bool) -> [Digest32] {
        if m == leaves.count { return complete ? [] : [root(leaves)] }
        let k = split(leaves.count)
        let middle = leaves.startIndex + k
        if m <= k { return subproof(m, leaves[..<middle], complete) + [root(leaves[middle...])] }
        return subproof(m - k, leaves[middle...], false) + [root(leaves[..<middle])]
    }

    static func consistency(_ m: Int, _ n: Int, _ leaves: [Digest32]) -> [Digest32] {
        subproof(m, leaves[..<n], true)
    }
}
