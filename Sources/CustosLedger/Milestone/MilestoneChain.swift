import CustosCore
import CustosCrypto

/// Follows a network's milestones in order and checks each against its predecessor: index +1, strictly
/// increasing timestamp, `previousMilestoneId` naming the previous milestone's message, a log that never
/// shrinks, and a signature by the coordinator key in force (rotated by `nextCoordinatorKey`).
///
/// Log growth between milestones is append-only only if a consistency proof says so; that is
/// `ConsistencyCheck`'s job on the milestones' checkpoints.
public struct MilestoneChain: Sendable, Hashable {
    /// The network the milestones belong to.
    public let networkID: UInt64
    /// The key that must sign the next milestone.
    public private(set) var coordinatorKey: Ed25519.PublicKey
    /// The index of the last accepted milestone; 0 before the first.
    public private(set) var index: UInt32 = 0
    /// The message id of the last accepted milestone; zero before the first.
    public private(set) var lastMilestoneID = Digest32.zero
    /// The timestamp of the last accepted milestone, in Unix milliseconds.
    public private(set) var timestamp: UInt64 = 0
    /// The log size committed by the last accepted milestone.
    public private(set) var logSize: UInt64 = 0

    /// Starts before the first milestone of a network, trusting its initial coordinator key.
    public init(networkID: UInt64, coordinatorKey: Ed25519.PublicKey) {
        self.networkID = networkID
        self.coordinatorKey = coordinatorKey
    }

    /// Resumes after a milestone message the caller verified earlier under `signer` (an auditor's pin), so only
    /// the milestones since then need checking.
    public init(resumingAfter message: LedgerMessage, signer: Ed25519.PublicKey) throws(LedgerError) {
        guard let milestone = message.payload.milestone else {
            throw LedgerError("message \(message.id) is not a milestone")
        }
        try milestone.verifySignature(networkID: message.networkID, key: signer)
        networkID = message.networkID
        coordinatorKey = milestone.essence.nextCoordinatorKey ?? signer
        index = milestone.essence.index
        lastMilestoneID = message.id
        timestamp = milestone.essence.timestamp
        logSize = milestone.essence.logSize
    }

    /// Checks the next milestone message and, if it is valid, advances the chain (and rotates the key).
    @discardableResult
    public mutating func accept(_ message: LedgerMessage) throws(LedgerError) -> Milestone {
        guard let milestone = message.payload.milestone else {
            throw LedgerError("message \(message.id) is not a milestone")
        }
        guard message.networkID == networkID else {
            throw LedgerError("milestone belongs to network \(message.networkID), not \(networkID)")
        }
        let essence = milestone.essence
        guard essence.index == index &+ 1, index < UInt32.max else {
            throw LedgerError("milestone index \(essence.index) does not follow \(index)")
        }
        guard essence.timestamp > timestamp else {
            throw LedgerError("milestone \(essence.index) timestamp \(essence.timestamp) is not after \(timestamp)")
        }
        guard essence.previousMilestoneID == lastMilestoneID else {
            throw LedgerError(
                "milestone \(essence.index) names previous milestone \(essence.previousMilestoneID), "
                    + "expected \(lastMilestoneID)")
        }
        guard essence.logSize >= logSize else {
            throw LedgerError("milestone \(essence.index) shrinks the log from \(logSize) to \(essence.logSize)")
        }
        try milestone.verifySignature(networkID: networkID, key: coordinatorKey)
        index = essence.index
        timestamp = essence.timestamp
        lastMilestoneID = message.id
        logSize = essence.logSize
        if let next = essence.nextCoordinatorKey { coordinatorKey = next }
        return milestone
    }
}
