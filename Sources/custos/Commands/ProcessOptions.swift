import ArgumentParser
import CustosStore
import Foundation
import Logging

/// Options shared by the internal process roles.
struct ProcessOptions: ParsableArguments {
    @Option(help: "Port to listen on (0 picks a free one).")
    var port: Int = 0

    @Option(help: "Address to bind.")
    var host: String = "127.0.0.1"

    @OptionGroup(title: "Limits") var limitOptions: LimitOptions

    @Option(
        help: "Log level: trace, debug, info, notice, warning, error, critical (default: CUSTOS_LOG_LEVEL or info).",
        transform: parseLogLevel)
    var logLevel: Logger.Level?

    /// Logs go to standard error, labelled with the role.
    func logger(role: String) -> Logger {
        let level =
            logLevel ?? ProcessInfo.processInfo.environment["CUSTOS_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) }
            ?? .info
        LoggingBootstrap.bootstrap(level: level)
        return Logger(label: "custos \(role)")
    }

    func database() throws -> DatabaseConfiguration {
        guard let url = ProcessInfo.processInfo.environment["CUSTOS_DATABASE_URL"], !url.isEmpty else {
            throw ValidationError("CUSTOS_DATABASE_URL is not set (custos up sets it for its children)")
        }
        return try DatabaseConfiguration(url: url)
    }
}

/// Parses `--log-level` values with a clear error.
func parseLogLevel(_ text: String) throws -> Logger.Level {
    guard let level = Logger.Level(rawValue: text.lowercased()) else {
        let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        throw ValidationError("log level must be one of \(names)")
    }
    return level
}

/// Installs the process-wide log handler once.
enum LoggingBootstrap {
    static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
