import ArgumentParser
import CustosLedger

/// Proof and receipt sizes against log size.
struct ProofSizes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proofs",
        abstract: "Inclusion proof, consistency proof and receipt sizes for log sizes 10 to 10^6.")

    func run() throws {
        print(
            "| log size | inclusion proof (hashes / bytes) | consistency proof n/2 → n (hashes) | receipt JSON bytes |")
        print("|---:|---:|---:|---:|")
        for exponent in 1...6 {
            var size: UInt64 = 1
            for _ in 0..<exponent { size *= 10 }
            let fixture = try ReceiptFixture(logSize: size)
            let inclusion = fixture.receipt.inclusionProof.count
            var log = MerkleLog()
            for index in 0..<size {
                _ = log.append(
                    leafHash: MerkleHash.leafHash([
                        UInt8(index & 0xff), UInt8(index >> 8 & 0xff), UInt8(index >> 16 & 0xff),
                    ]))
            }
            let consistency = try log.consistencyProof(from: size / 2, to: size).count
            print(
                "| \(size) | \(inclusion) / \(inclusion * 32) | \(consistency) | \(fixture.receipt.canonicalJSON.utf8.count) |"
            )
        }
    }
}
