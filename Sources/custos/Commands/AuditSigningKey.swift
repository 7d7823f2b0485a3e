import ArgumentParser
import CustosClients

/// `custos audit-signing-key`: a new key for the platform audit's records, for installations that `custos up`
/// does not run.
struct AuditSigningKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-signing-key",
        abstract: "Print a new signing key for the platform audit's records (base64 of an Ed25519 seed).",
        discussion: """
            For a control plane started on its own: store the key where only the control plane reads it, for \
            example `kubectl create secret generic custos-audit-signing-key --from-literal=key="$(custos \
            audit-signing-key)"`, and hand it to `custos control` in CUSTOS_AUDIT_SIGNING_KEY. Keep it: records \
            signed with another key fail `custosctl audit verify` where the first key is pinned. No other process \
            needs it; a worker or gateway that holds it could sign audit records. `custos up` makes its own \
            (DATA/audit-signing.key).
            """)

    func run() {
        print(PlatformAuditSigningKey().encoded)
    }
}
