import CustosAuth
import Logging
import ServiceLifecycle
import Synchronization
import Testing

@testable import CustosServer

@Suite struct PreparationLatchTests {
    @Test func waitersBeforeAndAfterOpeningGoOn() async {
        let latch = PreparationLatch()
        let events = EventLog()
        let early = Task {
            let passed = await latch.wait()
            events.append("passed")
            return passed
        }
        try? await Task.sleep(for: .milliseconds(50))
        events.append("opened")
        latch.open()
        #expect(await early.value)
        #expect(events.values == ["opened", "passed"])
        #expect(await latch.wait())
    }

    @Test func aCancelledWaiterIsToldSo() async {
        let latch = PreparationLatch()
        let waiter = Task { await latch.wait() }
        try? await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        #expect(await waiter.value == false)
        // Cancelled before it even waited.
        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await latch.wait()
        }
        #expect(await late.value == false)
        latch.open()
        #expect(await latch.wait())
    }

    /// The control plane once logged a database error at every first start: its audit recorder queried a table
    /// its migrations had not created yet.
    @Test func backgroundServicesBeginOnlyAfterPreparation() async throws {
        let events = EventLog()
        let token = try ServiceToken(secret: String(repeating: "s", count: 40))
        let server = ProcessServer(
            role: "test", port: 0, token: token, readiness: Readiness { nil }, logger: Logger(label: "test"))
        let assembly = ProcessAssembly(
            server: server, router: server.makeRouter(), dependencies: [],
            background: [Recording(name: "background", events: events)],
            prepare: {
                events.append("prepare begins")
                try await Task.sleep(for: .milliseconds(100))
                events.append("prepare ends")
            })
        let group = ServiceGroup(
            configuration: .init(services: assembly.services.map { .init(service: $0) }, logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for _ in 0..<200 where events.values.count < 3 { try await Task.sleep(for: .milliseconds(10)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(events.values == ["prepare begins", "prepare ends", "background"])
    }

    @Test func backgroundServicesOfAProcessThatStopsFirstNeverBegin() async throws {
        let latch = PreparationLatch()
        let events = EventLog()
        let service = AfterPreparation(service: Recording(name: "ran", events: events), latch: latch)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: service)], logger: Logger(label: "test")))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(50))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(events.values.isEmpty)
    }
}

private final class EventLog: Sendable {
    private let events = Mutex<[String]>([])

    var values: [String] { events.withLock { $0 } }

    func append(_ event: String) { events.withLock { $0.append(event) } }
}

/// Records that it ran, then waits for shutdown.
private struct Recording: Service {
    let name: String
    let events: EventLog

    func run() async throws {
        events.append(name)
        try? await gracefulShutdown()
    }
}
