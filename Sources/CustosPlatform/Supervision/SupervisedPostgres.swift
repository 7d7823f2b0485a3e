import CustosStore
import Logging
import ServiceLifecycle

/// Keeps the embedded PostgreSQL of `custos up` running, like `SupervisedChild` keeps the other children.
///
/// PostgreSQL daemonises, so it is watched rather than awaited: every `interval` (500 ms) the postmaster named
/// by `postmaster.pid` must be a live process. When it is gone (killed, crashed, stopped from outside) the
/// cluster is started again with exponential backoff (100 ms doubling to 5 s); stale lock files are removed
/// first and PostgreSQL's crash recovery replays the WAL, so every committed transaction is back. Starting can
/// fail for a moment after a `kill -9`, while the old server's backends still hold its shared memory; the
/// backoff retries until they are gone. Workers and gateways reconnect on their own: their connection pools
/// open new connections once the server answers.
///
/// On graceful shutdown it stops watching (after the platform service has stopped the children, since
/// services shut down in reverse order); `PlatformUp` then stops PostgreSQL itself.
struct SupervisedPostgres: Service {
    let postgres: EmbeddedPostgres
    let logger: Logger
    var interval: Duration = .milliseconds(500)

    func run() async throws {
        await cancelWhenGracefulShutdown { await watch() }
        logger.info("stopped watching PostgreSQL")
    }

    private func watch() async {
        var backoff = SupervisedChild.initialBackoff
        var lastStart = ContinuousClock.now
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard !Task.isCancelled, !postgres.isPostmasterAlive() else { continue }
            if ContinuousClock.now - lastStart > SupervisedChild.stableAfter {
                backoff = SupervisedChild.initialBackoff
            }
            logger.warning(
                "PostgreSQL exited; restarting",
                metadata: ["child": "postgres", "log": "\(postgres.logFile.path)", "backoff": "\(backoff)"])
            let exited = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, SupervisedChild.maximumBackoff)
                guard !Task.isCancelled else { return }
                do {
                    try await postgres.start()
                    lastStart = .now
                    logger.info(
                        "PostgreSQL is back",
                        metadata: [
                            "child": "postgres", "pid": "\(postgres.postmasterPID.map(String.init) ?? "?")",
                            "down": "\(ContinuousClock.now - exited)",
                        ])
                    break
                } catch {
                    logger.warning(
                        "PostgreSQL did not start; retrying",
                        metadata: ["child": "postgres", "error": "\(error)", "backoff": "\(backoff)"])
                }
            }
        }
    }
}
