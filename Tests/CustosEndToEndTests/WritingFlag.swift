import Synchronization

/// A switch that writer tasks poll: on while they should keep writing.
final class WritingFlag: Sendable {
    private let on: Atomic<Bool>

    init(on initial: Bool = true) { on = Atomic(initial) }

    var isOn: Bool { on.load(ordering: .relaxed) }

    func set(_ value: Bool) { on.store(value, ordering: .relaxed) }

    func stop() { set(false) }
}
