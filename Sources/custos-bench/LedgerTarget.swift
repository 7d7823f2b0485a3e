import ArgumentParser
import CustosClients
import CustosCore
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

    func client() throws -> (LedgerClient, TenantID) {
        let secret: String
        if let value = ProcessInfo.processInfo.environment[Self.serviceTokenVariable] {
            secret = value
        } else if let dataDir,
            let data = FileManager.default.contents(
                atPath: URL(fileURLWithPath: dataDir).appendingPathComponent("service-token").path)
        {
            secret = String(decoding: data, as: UTF8.self)
        } else {
            throw ValidationError("pass --data-dir or set \(Self.serviceTokenVariable)")
        }
        guard let tenant = TenantID(tenant) else { throw ValidationError("invalid tenant \(tenant)") }
        return (LedgerClient(baseURL: ledgerURL, serviceToken: secret), tenant)
    }

    /// A batch of `count` entries of `size` bytes each.
    static func batch(count: Int, size: Int, seed: Int) -> LedgerAPI.SubmitBatch {
        let data = Base64.encode([UInt8](repeating: UInt8(truncatingIfNeeded: seed), count: size))
        let tag = Base64.encode(Array("bench".utf8))
        return LedgerAPI.SubmitBatch(
            messages: (0..<count).map { index in
                LedgerAPI.Submit(
                    tag: tag, data: index == 0 ? Base64.encode(Array("\(seed)".utf8)) : data,
                    contentType: "application/octet-stream")
            })
    }
}

/// Percentiles of a sample, in the sample's unit.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
