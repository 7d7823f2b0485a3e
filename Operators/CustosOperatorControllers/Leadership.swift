/// Whether this process leads: only the leader writes.
public actor Leadership {
    /// Whether this process holds the Lease now.
    public private(set) var isLeader: Bool

    /// A state; `leader` true runs without election (one replica, or tests).
    public init(leader: Bool = false) {
        isLeader = leader
    }

    func set(_ leader: Bool) {
        isLeader = leader
    }

    /// Returns once this process leads (polling: cancellation ends the wait at once).
    public func waitUntilLeader(poll: Duration = .milliseconds(200)) async throws {
        while !isLeader {
            try await Task.sleep(for: poll)
        }
    }
}
