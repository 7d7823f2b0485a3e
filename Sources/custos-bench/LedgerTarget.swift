import ArgumentParser
import CustosClients
import CustosCore
import CustosLedger
import Foundation

/// Where the ledger worker under test is and how to reach it.
struct LedgerTarget: ParsableArguments {
    @Option(help: "Base URL of the ledger worker.")
    var ledgerURL: String

    @Option(help: "Tenant whose ledger receives the load.")
    var tenant: String

    @Option(help: "Data directory of `custos up` (for the service token; or set CUSTOS_SERVICE_TOKEN).")
    var dataDir: String?

    /// The variable `custos up` hands its children the service token in.
    static let serviceTokenVariable = "CUSTOS_SERVICE_TOKEN"

    /// The service token: from the environment, or the data directory of `custos up`.
    static func serviceToken(dataDir: String?) throws -> String {
        if let value = ProcessInfo.processInfo.environment[serviceTokenVariable] { return value }
        if let dataDir,
            let data = FileManager.default.contents(
                atPath: URL(fileURLWithPath: dataDir).appendingPathComponent("service-token").path)
        {
            return String(decoding: data, as: UTF8.self)
        }
        throw ValidationError("pass --data-dir or set \(serviceTokenVariable)")
    }

    func client() throws -> (LedgerClient, TenantID) {
        let secret = try Self.serviceToken(dataDir: dataDir)
        guard let tenant = TenantID(tenant) else { throw ValidationError("invalid tenant \(tenant)") }
        return (LedgerClient(baseURL: ledgerURL, serviceToken: secret), tenant)
    }

    /// A batch of `count` entries of `size` bytes each; the first carries the seed, so batches differ.
    static func batch(count: Int, size: Int, seed: Int) -> [LedgerEntry] {
        let data = [UInt8](repeating: UInt8(truncatingIfNeeded: seed), count: size)
        let tag = Array("bench".utf8)
        return (0..<count).map { index in
            // 5-byte tags and entries below 32 KiB are always valid.
            try! LedgerEntry(
                payload: TaggedData(tag: tag, data: index == 0 ? Array("\(seed)".utf8) : data),
                contentType: "application/octet-stream")
        }
    }
}

/// Percentiles of a sample, in the sample's unit.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var milliseconds: Double { seconds * 1000 }
}
