import CustosCore
import CustosCrypto

/// The audit of a tenant's log against the auditor's pins (docs/ledger.md §9.1): a state machine without I/O.
///
/// A log is known by its origin together with its coordinator key. Given every pin of the presented origin and
/// what the log presents now, the audit decides:
///
/// 1. no pin has the origin: a new log, pinned on first use if its newest milestone verifies under the key it
///    presents (`Verdict.firstUse`);
/// 2. a pin has the origin and the presented key: that pin is followed (`PinAudit`), and any failure is the
///    log's (the error is thrown);
/// 3. pins have the origin under other keys: each is followed in turn, and the first whose milestones announce
///    rotations leading to the presented key is the same log after a rotation (`Verdict.rotated`);
/// 4. otherwise `LedgerAuditError.keyDiffers`, unless the auditor confirmed the presented key out of band as a
///    different log's, which is then pinned beside the others (`Verdict.newLog`).
///
/// The caller does the fetching: `start()` and each `consume` return the next `Step`, which names what to fetch
/// from the log, or the verdict. A thrown error ends the audit; no pin may then be changed.
public struct LedgerAudit: Sendable {
    /// What an auditor keeps per log.
    ///
    /// The pinned milestone is signed by `milestoneKey` if given, else by `coordinatorKey`. A pin taken at a
    /// milestone that announces a rotation trusts the announced key (the one the log presents from then on) and
    /// keeps the previous key, which signed that milestone, as `milestoneKey`; the milestone must then announce
    /// `coordinatorKey`.
    public struct Pin: Sendable, Hashable {
        /// The log origin.
        public var origin: String
        /// The trusted coordinator verifier key (`<origin>+<keyid>+<base64>`): the key the log presents, which
        /// signs the milestones after the pinned one.
        public var coordinatorKey: String
        /// The newest verified signed checkpoint note, kept for the record: an audit resumes from the milestone.
        public var checkpoint: String
        /// The newest verified milestone message, base64 of its canonical bytes, as pins store it.
        public var milestone: String
        /// The verifier key that signed the pinned milestone (the key in force at it), if it is not
        /// `coordinatorKey`: the pinned milestone announced the rotation to `coordinatorKey`. Nil for every other
        /// pin, and in pins written before this was kept.
        public var milestoneKey: String?

        /// Creates a pin.
        public init(
            origin: String, coordinatorKey: String, checkpoint: String, milestone: String, milestoneKey: String? = nil
        ) {
            self.origin = origin
            self.coordinatorKey = coordinatorKey
            self.checkpoint = checkpoint
            self.milestone = milestone
            self.milestoneKey = milestoneKey
        }
    }

    /// A milestone as the log serves it.
    public struct MilestoneEntry: Sendable, Hashable {
        /// The index the log gives it.
        public var index: Int
        /// The message id the log gives it, 64 hex characters.
        public var messageID: String
        /// The canonical message bytes, base64.
        public var message: String

        /// Creates an entry.
        public init(index: Int, messageID: String, message: String) {
            self.index = index
            self.messageID = messageID
            self.message = message
        }

        /// The milestone message; it must be a milestone and have the id the log gives it.
        func decoded() throws(LedgerAuditError) -> LedgerMessage {
            let decoded: LedgerMessage
            do { decoded = try LedgerMessage(bytes: try Base64.decode(message)) } catch {
                throw .malformedInput("\(error)")
            }
            guard decoded.payload.milestone != nil, decoded.id.hex == messageID else {
                throw .malformedMilestone(index: index)
            }
            return decoded
        }
    }

    /// What the log presents now.
    public struct Presented: Sendable, Hashable {
        /// The origin of its network.
        public var origin: String
        /// The coordinator verifier key it presents.
        public var coordinatorKey: String
        /// Its newest milestone.
        public var newestMilestone: MilestoneEntry
        /// Its newest signed checkpoint note.
        public var checkpoint: String

        /// Creates an observation.
        public init(origin: String, coordinatorKey: String, newestMilestone: MilestoneEntry, checkpoint: String) {
            self.origin = origin
            self.coordinatorKey = coordinatorKey
            self.newestMilestone = newestMilestone
            self.checkpoint = checkpoint
        }
    }

    /// A successful audit against a pin.
    public struct Audited: Sendable, Hashable {
        /// The pin to store in place of the followed one.
        public var pin: Pin
        /// How the newest checkpoint relates to the pinned one.
        public var outcome: ConsistencyCheck.Outcome
        /// The size of the newest checkpoint.
        public var size: UInt64
        /// The milestones (as the log numbers them) that announced a coordinator key rotation.
        public var rotations: [Int]
        /// From the pinned milestone's index to the newest one's.
        public var milestones: ClosedRange<UInt32>

        /// One line per announced rotation, then one saying how the log changed.
        public var report: [String] {
            let summary =
                switch outcome {
                case .unchanged:
                    "unchanged: \(pin.origin) still at size \(size)"
                case .extended(let from, let to):
                    "consistent: \(pin.origin) grew from \(from) to \(to) entries, append-only "
                        + "(milestones \(milestones.lowerBound) to \(milestones.upperBound))"
                }
            return rotations.map { "milestone \($0): coordinator key rotation announced by the previous key" }
                + [summary]
        }
    }

    /// A log pinned without a pin to follow.
    public struct NewLog: Sendable, Hashable {
        /// The pin to store in a new place.
        public var pin: Pin
        /// The size of the checkpoint its newest milestone commits to.
        public var size: UInt64
        /// The coordinator key it is pinned under.
        public var key: NoteVerifierKey
    }

    /// How the audit ended.
    public enum Verdict: Sendable, Hashable {
        /// No pin has the presented origin: the log is pinned on first use (compare its key with the one the
        /// tenant publishes).
        case firstUse(NewLog)
        /// The auditor confirmed the presented key: a different log with a pinned origin, pinned beside the others.
        case newLog(NewLog)
        /// The log extends the pin at this position, which has the presented key.
        case consistent(pin: Int, Audited)
        /// The log extends the pin at this position after key rotations it announced: the pin now trusts the
        /// presented key.
        case rotated(pin: Int, Audited)
    }

    /// What the audit needs next.
    public enum Step: Sendable, Hashable {
        /// The log's milestones after this index, in order, as one page: pass them to `consume(milestones:)`.
        case milestones(after: UInt32)
        /// The log's consistency proof between these tree sizes: pass it to `consume(proof:)`.
        case consistencyProof(from: UInt64, to: UInt64)
        /// The audit is over.
        case verdict(Verdict)
    }

    /// The pins given, in order; only those of the presented origin are considered.
    public let pins: [Pin]
    /// What the log presents.
    public let presented: Presented
    /// The key the auditor confirmed out of band as a different log's, for a log KEY DIFFERS would reject.
    public let confirmedNewLogKey: String?

    private let newest: LedgerMessage
    /// Whether a mismatch against the pin being followed ends the audit (the pin has the presented key) or only
    /// rules that pin out.
    private var followingPresentedKey = false
    private var waiting: [Int] = []
    private var following: (pin: Int, audit: PinAudit)?
    private var mismatches: [LedgerAuditError.PinMismatch] = []
    private var started = false

    /// Prepares an audit; the newest milestone must be a milestone with the id the log gives it.
    public init(pins: [Pin], presented: Presented, confirmedNewLogKey: String? = nil) throws(LedgerAuditError) {
        self.pins = pins
        self.presented = presented
        self.confirmedNewLogKey = confirmedNewLogKey
        newest = try presented.newestMilestone.decoded()
    }

    /// Chooses the pins to follow and returns the first step.
    public mutating func start() throws(LedgerAuditError) -> Step {
        precondition(!started, "a ledger audit is started once")
        started = true
        let candidates = pins.indices.filter { pins[$0].origin == presented.origin }
        guard !candidates.isEmpty else { return .verdict(.firstUse(try newLog())) }
        // The pin under the key the log presents is this log's: whatever fails against it is the log's fault.
        if let same = candidates.first(where: { pins[$0].coordinatorKey == presented.coordinatorKey }) {
            followingPresentedKey = true
            waiting = [same]
        } else {
            // Another key: only a rotation announced in the log, from one of this origin's pins, leads to it.
            waiting = candidates
        }
        return try followNext()
    }

    /// Takes the page of milestones the last step asked for.
    public mutating func consume(milestones: [MilestoneEntry]) throws(LedgerAuditError) -> Step {
        guard var current = following else { preconditionFailure("the audit asked for no milestones") }
        let result = Result { () throws(LedgerAuditError) in try current.audit.consume(milestones: milestones) }
        following = current
        return try advance(current.pin, result)
    }

    /// Takes the consistency proof the last step asked for.
    public mutating func consume(proof: [Digest32]) throws(LedgerAuditError) -> Step {
        guard var current = following else { preconditionFailure("the audit asked for no proof") }
        let result = Result { () throws(LedgerAuditError) in try current.audit.consume(proof: proof) }
        following = current
        return try advance(current.pin, result)
    }

    private mutating func followNext() throws(LedgerAuditError) -> Step {
        guard !waiting.isEmpty else {
            following = nil
            if confirmedNewLogKey != nil { return .verdict(.newLog(try newLog())) }
            throw .keyDiffers(
                origin: presented.origin, presented: presented.coordinatorKey, mismatches: mismatches)
        }
        let pin = waiting.removeFirst()
        let result: Result<PinAudit.Step, LedgerAuditError>
        do throws(LedgerAuditError) {
            var audit = try PinAudit(pin: pins[pin], presented: presented, newest: newest)
            result = .success(try audit.start())
            following = (pin, audit)
        } catch {
            result = .failure(error)
        }
        return try advance(pin, result)
    }

    /// Turns what the followed pin's audit did into the next step: a mismatch rules the pin out (or ends the
    /// audit when the pin has the presented key); errors that concern no pin end the audit.
    private mutating func advance(_ pin: Int, _ result: Result<PinAudit.Step, LedgerAuditError>)
        throws(LedgerAuditError) -> Step
    {
        switch result {
        case .success(.milestones(let after)):
            return .milestones(after: after)
        case .success(.consistencyProof(let from, let to)):
            return .consistencyProof(from: from, to: to)
        case .success(.audited(let audited)):
            following = nil
            return .verdict(followingPresentedKey ? .consistent(pin: pin, audited) : .rotated(pin: pin, audited))
        case .failure(let error):
            following = nil
            guard error.concernsOnePin, !followingPresentedKey else { throw error }
            mismatches.append(.init(pin: pin, reason: error))
            return try followNext()
        }
    }

    /// Pins the presented log without a pin to follow: on first use, or as the different log the auditor confirmed.
    private func newLog() throws(LedgerAuditError) -> NewLog {
        let advertised: NoteVerifierKey
        do { advertised = try NoteVerifierKey(parsing: presented.coordinatorKey) } catch {
            throw .malformedInput("\(error)")
        }
        if let confirmedNewLogKey {
            let confirmed: NoteVerifierKey
            do { confirmed = try NoteVerifierKey(parsing: confirmedNewLogKey) } catch {
                throw .confirmedKeyMalformed(error)
            }
            guard confirmed == advertised else {
                throw .confirmedKeyNotPresented(presented: advertised.text, confirmed: confirmed.text)
            }
        }
        guard
            (try? newest.payload.milestone?.verifySignature(networkID: newest.networkID, key: advertised.publicKey))
                != nil
        else { throw .newestMilestoneUnsigned }
        let checkpoint = try Self.checkpoint(of: newest, origin: presented.origin)
        let pin = Pin(
            origin: presented.origin, coordinatorKey: advertised.text, checkpoint: presented.checkpoint,
            milestone: presented.newestMilestone.message)
        return NewLog(pin: pin, size: checkpoint.size, key: advertised)
    }

    /// The checkpoint a milestone commits to (its signature is checked by the caller or the chain).
    static func checkpoint(of message: LedgerMessage, origin: String) throws(LedgerAuditError) -> Checkpoint {
        guard let essence = message.payload.milestone?.essence else { throw .malformedInput("not a milestone") }
        do { return try essence.checkpoint(origin: origin) } catch { throw .malformedInput("\(error)") }
    }

    /// The verifier key of `publicKey` named after the origin.
    static func key(name origin: String, publicKey: Ed25519.PublicKey) throws(LedgerAuditError) -> NoteVerifierKey {
        do { return try NoteVerifierKey(name: origin, publicKey: publicKey) } catch {
            throw .malformedInput("\(error)")
        }
    }
}
