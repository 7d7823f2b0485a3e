import Hummingbird
import ServiceLifecycle

/// One serving process, assembled the same way for every role (the worker template): what it depends on, what
/// runs in the background, the work before it accepts requests, and its server and router.
///
/// Services start in the order of ``services`` and stop in reverse: the HTTP server finishes its requests first,
/// then the background services drain (writer loops commit what they accepted), and the dependencies (database
/// pools) stop last. The background services begin only once ``prepare`` succeeded, so that none of them queries
/// a table before the migrations created it.
public struct ProcessAssembly {
    /// The process's HTTP description.
    public var server: ProcessServer
    /// Its routes: the shared public ones and the process's groups.
    public var router: Router<CustosRequestContext>
    /// What everything else needs, started first and stopped last (PostgreSQL clients).
    public var dependencies: [any Service]
    /// Long-running work besides serving requests, begun after ``prepare`` and drained on shutdown before the
    /// dependencies stop.
    public var background: [any Service]
    /// Work before the server accepts connections (migrations, recovery).
    public var prepare: @Sendable () async throws -> Void

    /// Creates an assembly.
    public init(
        server: ProcessServer, router: Router<CustosRequestContext>, dependencies: [any Service],
        background: [any Service] = [], prepare: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.server = server
        self.router = router
        self.dependencies = dependencies
        self.background = background
        self.prepare = prepare
    }

    /// The services of the process, in start order.
    public var services: [any Service] {
        let prepared = PreparationLatch()
        var application = server.makeApplication(router: router)
        application.beforeServerStarts { [prepare] in
            try await prepare()
            prepared.open()
        }
        return dependencies + background.map { AfterPreparation(service: $0, latch: prepared) } + [application]
    }
}
