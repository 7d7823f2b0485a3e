import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a process's services until SIGINT or SIGTERM, then shuts them down in reverse order.
public enum ProcessRunner {
    /// Runs `services` (the first started first) with graceful shutdown on signals; when the process was
    /// started by `custos up`, it also stops if that parent disappears, so no orphan keeps a port.
    public static func run(_ services: [any Service], logger: Logger) async throws {
        var all = services
        if let watchdog = ParentWatchdog.fromEnvironment(logger: logger) { all.append(watchdog) }
        let group = ServiceGroup(
            configuration: .init(
                services: all.map { .init(service: $0, successTerminationBehavior: .gracefullyShutdownGroup) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
