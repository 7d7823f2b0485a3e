import ServiceLifecycle

/// A background service started only once the process's preparation succeeded: its first queries find the
/// tables the migrations create. When the process shuts down (or its preparation failed, which ends the process)
/// before that, it returns without having run.
struct AfterPreparation: Service, CustomStringConvertible {
    let service: any Service
    let latch: PreparationLatch

    var description: String { "\(service)" }

    func run() async throws {
        guard await cancelWhenGracefulShutdown({ await latch.wait() }) else { return }
        try await service.run()
    }
}
