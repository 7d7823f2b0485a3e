import Logging
import ServiceLifecycle

extension Leadership {
    /// Runs `round` again and again while this process leads, until graceful shutdown or cancellation. A round
    /// that fails is logged as `name` and followed by `afterFailure`; one that succeeds by `afterRound` (nil: the
    /// next starts at once).
    nonisolated func repeatWhileLeading(
        _ name: Logger.Message, logger: Logger, afterRound: Duration?, afterFailure: Duration,
        _ round: @escaping @Sendable () async throws -> Void
    ) async {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await self.waitUntilLeader()
                var pause = afterRound
                do {
                    try await round()
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning(name, metadata: ["error": "\(error)"])
                    pause = afterFailure
                }
                if let pause { try await Task.sleep(for: pause) }
            }
        }
    }
}
