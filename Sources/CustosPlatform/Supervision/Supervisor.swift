import Foundation
import Logging

/// The set of children `custos up` keeps running; children can be added and removed while it runs.
actor Supervisor {
    private let executable: String
    private let logger: Logger
    private var running: [ChildSpec: Task<Void, Never>] = [:]

    init(executable: String, logger: Logger) {
        self.executable = executable
        self.logger = logger
    }

    /// The specs currently supervised.
    var specs: Set<ChildSpec> { Set(running.keys) }

    /// Starts supervising a child (no-op when already supervised).
    func start(_ spec: ChildSpec) {
        guard running[spec] == nil else { return }
        let child = SupervisedChild(spec: spec, executable: executable, logger: logger)
        running[spec] = Task { await child.run() }
    }

    /// Stops a child and waits until it has exited.
    func stop(_ spec: ChildSpec) async {
        guard let task = running.removeValue(forKey: spec) else { return }
        task.cancel()
        await task.value
    }

    /// Stops every child in parallel and waits for all of them.
    func stopAll() async {
        let tasks = Array(running.values)
        running.removeAll()
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
    }

    /// The path of the running executable, to start children of the same build.
    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
