import Foundation
import Logging
import Subprocess
import SystemPackage

/// Keeps one child process running: restarts it with exponential backoff when it exits, and stops it with
/// SIGTERM (then SIGKILL after a grace period) when its task is cancelled.
struct SupervisedChild: Sendable {
    let spec: ChildSpec
    let executable: String
    let logger: Logger

    static let initialBackoff: Duration = .milliseconds(100)
    static let maximumBackoff: Duration = .seconds(5)
    /// A child that ran this long is considered healthy again, resetting the backoff.
    static let stableAfter: Duration = .seconds(10)

    func run() async {
        var backoff = Self.initialBackoff
        var options = PlatformOptions()
        options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(10))]
        var environment: [Environment.Key: String?] = [:]
        // Children inherit the supervisor's environment, minus every secret their spec does not grant.
        for key in ChildSecrets.environmentKeys where spec.environment[key] == nil {
            environment.updateValue(nil, forKey: Environment.Key(stringLiteral: key))
        }
        for (key, value) in spec.environment { environment[Environment.Key(stringLiteral: key)] = value }
        environment["CUSTOS_SUPERVISOR_PID"] = String(getpid())
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                let result = try await Subprocess.run(
                    .path(FilePath(executable)),
                    arguments: Arguments(spec.arguments),
                    environment: .inherit.updating(environment),
                    platformOptions: options,
                    input: .none,
                    output: .currentStandardOutput,
                    error: .currentStandardError
                ) { execution in
                    logger.info(
                        "started", metadata: ["child": "\(spec.name)", "pid": "\(execution.processIdentifier)"])
                }
                if Task.isCancelled { break }
                logger.warning(
                    "exited; restarting",
                    metadata: [
                        "child": "\(spec.name)", "status": "\(result.terminationStatus)", "backoff": "\(backoff)",
                    ])
            } catch {
                if Task.isCancelled { break }
                logger.error("could not start; retrying", metadata: ["child": "\(spec.name)", "error": "\(error)"])
            }
            if ContinuousClock.now - started > Self.stableAfter { backoff = Self.initialBackoff }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, Self.maximumBackoff)
        }
        logger.info("stopped", metadata: ["child": "\(spec.name)"])
    }
}
