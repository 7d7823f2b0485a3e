import ArgumentParser

/// `custos`: one binary, one role per process.
@main
struct Custos: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custos",
        abstract: "Custos: hosted verifiable audit trails and self-sovereign identity.",
        discussion: """
            `custos up` runs the whole platform on this machine. The other subcommands run one process role each; \
            `custos up` starts them for you. Internal processes read CUSTOS_DATABASE_URL and CUSTOS_SERVICE_TOKEN \
            from the environment, so secrets never appear on a command line.
            """,
        subcommands: [Up.self, Control.self, Worker.self, Gateway.self, AdminToken.self, AuditSigningKey.self]
    )
}
