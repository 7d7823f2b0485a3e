import CustosCore

/// Why an audit of a log against its pins (`LedgerAudit`) failed.
///
/// Most cases say why the log does not extend one pin; `LedgerAudit` collects those of every pin into
/// `keyDiffers` when the log presents a key none of its origin's pins leads to.
public indirect enum LedgerAuditError: CustosError, Equatable {
    /// The pin is for another origin: it says nothing about this log.
    case originMismatch(pinned: String, presented: String)
    /// The pin's key or milestone does not parse.
    case pinDamaged(String)
    /// The pinned milestone is not signed by the key the pin says signed it (`LedgerAudit.Pin.milestoneKey`, else
    /// the pinned key): the pin was tampered with.
    case pinnedMilestoneUnverified(key: String, reason: LedgerError)
    /// The pinned milestone is signed by another key than the pinned one, but does not announce the pinned key:
    /// the pin was tampered with.
    case pinnedKeyNotAnnounced(key: String, signer: String)
    /// The log's newest milestone comes before the pinned one.
    case rollback(newest: UInt32, pinned: UInt32)
    /// The log serves no milestones between the pinned and its newest one.
    case milestonesMissing(from: UInt32, to: UInt32)
    /// A milestone since the pin does not continue the chain (index, link, timestamp, log size, or signature by
    /// the key in force).
    case brokenChain(milestone: Int, reason: LedgerError)
    /// The chain of milestones from the pin does not end at the newest milestone the log presents.
    case unexpectedNewestMilestone(Digest32)
    /// The milestone chain hands over to a key other than the one the log presents.
    case keyChanged(presented: String, chainKey: String)
    /// The signed checkpoint and the newest milestone have one size but different roots.
    case checkpointDisagrees(size: UInt64)
    /// The newest checkpoint does not provably extend the pinned one.
    case inconsistent(ConsistencyError)
    /// The log presents its origin under a key that no pin of that origin leads to: either a pinned log whose
    /// key was replaced without announcement, or a different log that uses the same origin. Each pin's reason is
    /// given; nothing the log serves tells the two apart.
    case keyDiffers(origin: String, presented: String, mismatches: [PinMismatch])
    /// The key confirmed for a new log is not a note verifier key.
    case confirmedKeyMalformed(NoteError)
    /// The key confirmed for a new log is not the one the log presents: nothing is pinned.
    case confirmedKeyNotPresented(presented: String, confirmed: String)
    /// On first use, the newest milestone is not signed by the key the log presents (a rotation under way?).
    case newestMilestoneUnsigned
    /// A milestone the log serves is not a milestone, or not the message its id names.
    case malformedMilestone(index: Int)
    /// Something the log serves, or the origin it names, cannot be read at all.
    case malformedInput(String)

    /// One pin and why the log does not extend it.
    public struct PinMismatch: Sendable, Equatable {
        /// The pin's position in the pins given to `LedgerAudit`.
        public var pin: Int
        /// Why the log does not extend it.
        public var reason: LedgerAuditError

        /// Pairs a pin with its reason.
        public init(pin: Int, reason: LedgerAuditError) {
            self.pin = pin
            self.reason = reason
        }
    }

    /// Evidence of log misbehaviour is a conflict; a retry may help on first use; the rest is bad input.
    public var kind: ErrorKind {
        switch self {
        case .rollback, .milestonesMissing, .brokenChain, .unexpectedNewestMilestone, .keyChanged,
            .checkpointDisagrees, .inconsistent, .keyDiffers, .pinnedMilestoneUnverified, .pinnedKeyNotAnnounced:
            .conflict
        case .newestMilestoneUnsigned: .unavailable
        case .originMismatch, .pinDamaged, .confirmedKeyMalformed, .confirmedKeyNotPresented, .malformedMilestone,
            .malformedInput:
            .invalidInput
        }
    }

    /// What went wrong, for an audit of the log the pin is of.
    public var description: String {
        switch self {
        case .originMismatch(let pinned, let presented):
            "the pin is for origin \"\(pinned)\", the log presents \"\(presented)\""
        case .pinDamaged(let reason):
            "the pin is damaged: \(reason)"
        case .pinnedMilestoneUnverified(let key, let reason):
            "the pinned milestone does not verify under the pinned key \(key): \(reason)"
        case .pinnedKeyNotAnnounced(let key, let signer):
            "the pinned milestone, signed by \(signer), does not announce the pinned key \(key)"
        case .rollback(let newest, let pinned):
            "rollback: the newest milestone is \(newest), older than the pinned milestone \(pinned)"
        case .milestonesMissing(let from, let to):
            "milestones \(from) to \(to) are missing from the log"
        case .brokenChain(let milestone, let reason):
            "milestone chain broken at milestone \(milestone): \(reason)"
        case .unexpectedNewestMilestone(let id):
            "split view: the newest milestone \(id) is not the one the chain leads to"
        case .keyChanged(let presented, let chainKey):
            "KEY CHANGED without announcement: the log presents \(presented), the milestone chain hands over to "
                + chainKey
        case .checkpointDisagrees(let size):
            "split view: checkpoint and milestone of size \(size) have different roots"
        case .inconsistent(let error):
            "\(error)"
        case .keyDiffers(let origin, let presented, let mismatches):
            "KEY DIFFERS: \(origin) presents coordinator key \(presented), but no key rotation announced in the log "
                + "leads from the key of any of its \(mismatches.count) pins to it"
        case .confirmedKeyMalformed(let error):
            "the confirmed key is not a note verifier key: \(error)"
        case .confirmedKeyNotPresented(let presented, let confirmed):
            "the log presents \(presented), not the confirmed key (\(confirmed)); nothing was pinned"
        case .newestMilestoneUnsigned:
            "the newest milestone is not signed by the advertised key (a key rotation is under way?); retry"
        case .malformedMilestone(let index):
            "milestone \(index) is malformed or does not match its id"
        case .malformedInput(let reason):
            reason
        }
    }

    /// The same failure worded without presuming that the pin is of the presented log: what a KEY DIFFERS report
    /// says about each pin (the milestone numbers of two different logs say nothing about each other, so a
    /// smaller one is not called a rollback).
    public var neutralDescription: String {
        switch self {
        case .rollback(let newest, let pinned):
            "the log's newest milestone \(newest) comes before the pinned milestone \(pinned)"
        case .brokenChain(let milestone, let reason):
            "milestone \(milestone) does not continue the pinned chain: \(reason)"
        case .keyChanged(_, let chainKey):
            "the pinned milestone chain leads to key \(chainKey), not to the presented key"
        default:
            description
        }
    }

    /// Whether this says why the log does not extend one pin (so another pin may still lead to it), rather than
    /// ending the whole audit.
    var concernsOnePin: Bool {
        switch self {
        case .originMismatch, .pinDamaged, .pinnedMilestoneUnverified, .pinnedKeyNotAnnounced, .rollback,
            .milestonesMissing, .brokenChain, .unexpectedNewestMilestone, .keyChanged, .checkpointDisagrees,
            .inconsistent:
            true
        case .keyDiffers, .confirmedKeyMalformed, .confirmedKeyNotPresented, .newestMilestoneUnsigned,
            .malformedMilestone, .malformedInput:
            false
        }
    }
}
