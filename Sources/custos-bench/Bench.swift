import ArgumentParser

/// `custos-bench`: reproducible performance measurements (see docs/benchmarks.md and `make bench`).
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custos-bench",
        abstract: """
            Measure Custos: ledger ingest, checkpoint latency, receipt verification, proof sizes, policies, SSI.
            """,
        subcommands: [
            Ingest.self, Latency.self, VerifyReceipts.self, ProofSizes.self, PolicyEvaluation.self,
            IdentityThroughput.self, ChannelThroughput.self, TenantProvisioning.self, PacedWrites.self,
        ]
    )
}
