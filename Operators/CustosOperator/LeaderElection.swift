import Foundation

/// Leader election on a Lease, as a pure decision: only the leader reconciles; the others watch and wait.
///
/// The same rules as client-go's leaderelection: a holder's claim lasts `leaseDurationSeconds` after its last
/// `renewTime`; a candidate takes an expired (or empty) Lease, bumping `leaseTransitions`; writes are replacements
/// with the Lease's resourceVersion, so two candidates cannot both win (one gets a conflict).
public struct LeaderElection: Sendable {
    /// What to do.
    public enum Decision: Sendable, Equatable {
        /// Create the Lease (none exists) with this record.
        case create(LeaseRecord)
        /// Take the Lease: replace it with this record (someone else's claim ran out, or nobody held it).
        case acquire(LeaseRecord)
        /// Renew our own claim with this record.
        case renew(LeaseRecord)
        /// Someone else holds it until `until`: do not reconcile.
        case standby(holder: String, until: Date)
    }

    /// This candidate's identity (the pod name).
    public let identity: String
    /// How long a claim lasts.
    public let leaseDurationSeconds: Int

    /// A candidate.
    public init(identity: String, leaseDurationSeconds: Int) {
        self.identity = identity
        self.leaseDurationSeconds = leaseDurationSeconds
    }

    /// The decision on `lease` (`nil`: no Lease yet) at `now`.
    public func decide(_ lease: LeaseRecord?, now: Date) -> Decision {
        guard let lease else {
            return .create(
                LeaseRecord(
                    holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds, acquireTime: now,
                    renewTime: now, leaseTransitions: 0, resourceVersion: nil))
        }
        if lease.holderIdentity == identity {
            var renewed = lease
            renewed.renewTime = now
            renewed.leaseDurationSeconds = leaseDurationSeconds
            return .renew(renewed)
        }
        let holder = lease.holderIdentity ?? ""
        let until = (lease.renewTime ?? lease.acquireTime ?? .distantPast)
            .addingTimeInterval(TimeInterval(lease.leaseDurationSeconds))
        if !holder.isEmpty && until > now {
            return .standby(holder: holder, until: until)
        }
        return .acquire(
            LeaseRecord(
                holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds, acquireTime: now, renewTime: now,
                leaseTransitions: lease.leaseTransitions + (holder.isEmpty ? 0 : 1),
                resourceVersion: lease.resourceVersion))
    }
}
