import CustosCore
import CustosCrypto

/// Hashes interior nodes through one reusable 65-byte input buffer, so hashing loops do not allocate inputs.
struct NodeHasher {
    private var input = [UInt8](repeating: 0x01, count: 65)

    /// SHA-256(0x01 ‖ left ‖ right) of two 32-byte hashes read from raw memory.
    mutating func hash(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> [UInt8] {
        input.withUnsafeMutableBytes { buffer in
            buffer.baseAddress!.advanced(by: 1).copyMemory(from: left.baseAddress!, byteCount: 32)
            buffer.baseAddress!.advanced(by: 33).copyMemory(from: right.baseAddress!, byteCount: 32)
        }
        return SHA256.hash(input)
    }

    /// The node hash of two digests.
    mutating func hash(_ left: Digest32, _ right: Digest32) -> Digest32 {
        left.bytes.withUnsafeBytes { leftBytes in
            right.bytes.withUnsafeBytes { rightBytes in
                MerkleHash.digest(hash(leftBytes, rightBytes))
            }
        }
    }
}
