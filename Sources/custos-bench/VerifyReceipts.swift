import ArgumentParser
import CustosCore
import CustosCrypto
import CustosLedger
import Foundation

/// Offline receipt verification time, on a receipt from a log of `--log-size` entries.
struct VerifyReceipts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Receipt verification time (parse JSON + every check), in-process.")

    @Option(help: "Entries in the log the receipt comes from.")
    var logSize: Int = 1_000_000

    @Option(help: "Verifications to time.")
    var iterations: Int = 20_000

    func run() throws {
        let fixture = try ReceiptFixture(logSize: UInt64(logSize))
        let text = fixture.receipt.canonicalJSON
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = ContinuousClock.now
            let receipt = try Receipt(jsonText: text)
            _ = try ReceiptVerifier.verify(receipt, trustedKey: fixture.key)
            samples.append((ContinuousClock.now - start).seconds * 1e6)
        }
        samples.sort()
        print(
            String(
                format: "receipt verification (log of %d, %d-hash proof, %d-byte receipt), %d runs: "
                    + "p50 %.1f µs, p99 %.1f µs",
                logSize, fixture.receipt.inclusionProof.count, text.utf8.count, iterations, percentile(samples, 0.5),
                percentile(samples, 0.99)))
    }
}

/// A signed log of a given size and a receipt for its middle entry.
struct ReceiptFixture {
    let receipt: Receipt
    let key: NoteVerifierKey

    init(logSize: UInt64) throws {
        let networkID = LedgerMessage.networkID(forName: "bench")
        let message = try LedgerMessage(
            networkID: networkID, parents: [LedgerMessage.genesisParent(networkID: networkID)],
            payload: .taggedData(try TaggedData(tag: Array("bench".utf8), data: [UInt8](repeating: 7, count: 100))))
        let target = logSize / 2
        var log = MerkleLog()
        for index in 0..<logSize {
            if index == target {
                _ = log.append(messageID: message.id)
            } else {
                var seed = [UInt8](repeating: 0, count: 8)
                withUnsafeBytes(of: index.littleEndian) { seed = Array($0) }
                _ = log.append(leafHash: MerkleHash.leafHash(seed))
            }
        }
        let signer = try NoteSigner(name: "custos.bench/bench", privateKey: Ed25519.PrivateKey())
        let note = try Checkpoint(origin: "custos.bench/bench", size: log.size, root: log.root).signed(by: [signer])
        key = signer.verifierKey
        receipt = Receipt(
            tenant: "bench", networkName: "bench", message: message, leafIndex: target,
            inclusionProof: try log.inclusionProof(index: target, size: log.size), checkpoint: note, coordinatorKey: key
        )
    }
}
