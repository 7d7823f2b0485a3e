import Foundation
import Logging
import ServiceLifecycle

/// Ends the process when the supervising `custos up` is gone (even after `kill -9`).
///
/// Linux re-parents orphans, so a changed parent pid means the supervisor died; without this, children
/// would keep their ports and block the next `custos up`.
public struct ParentWatchdog: Service {
    /// The environment variable holding the supervisor's pid.
    public static let environmentKey = "CUSTOS_SUPERVISOR_PID"

    private let parent: pid_t
    private let logger: Logger

    /// A watchdog when the environment names a supervisor, else nil.
    public static func fromEnvironment(logger: Logger) -> ParentWatchdog? {
        guard let value = ProcessInfo.processInfo.environment[environmentKey], let pid = pid_t(value) else {
            return nil
        }
        return ParentWatchdog(parent: pid, logger: logger)
    }

    public func run() async throws {
        // Returning ends the service group gracefully (successTerminationBehavior).
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if getppid() != parent {
                logger.warning("supervisor is gone; shutting down", metadata: ["supervisor": "\(parent)"])
                return
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
}
