import ArgumentParser

/// `custosctl`: the administrator CLI and offline verifier.
@main
struct CustosCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custosctl",
        abstract: "Administer a Custos platform and verify its proofs offline.",
        discussion: """
            The control plane and administrator token are found, in order, through --data-dir, CUSTOS_DATA_DIR, \
            the credential saved by `custosctl login`, and the default data directory of `custos up`. \
            CUSTOS_CONTROL_URL and CUSTOS_ADMIN_TOKEN override them. --data-dir, -o/--output and --json may \
            come before the subcommand or after it.
            """,
        subcommands: [
            Login.self, Tenants.self, Keys.self, PlansCommand.self, OperationsCommand.self, Policies.self,
            Identities.self, Credentials.self, Channels.self,
            Verify.self,
            Ledger.self, AuditCommand.self,
        ]
    )

    static func main() async {
        await main(GlobalOptions.hoisted(Array(CommandLine.arguments.dropFirst())))
    }
}
