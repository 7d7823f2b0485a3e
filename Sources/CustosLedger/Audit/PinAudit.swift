import CustosCore
import CustosCrypto

extension LedgerAudit {
    /// Follows a log from one pin to what it presents now: every milestone since the pinned one (index, link,
    /// timestamp, signature by the key in force, announced rotations), the key the log presents, the signed
    /// checkpoint against the newest milestone, and a consistency proof from the pinned checkpoint to the newest
    /// one (docs/ledger.md §9 and §9.1, step 2).
    ///
    /// `start()` and each `consume` return the next `Step`; a thrown error ends the audit of this pin.
    public struct PinAudit: Sendable {
        /// What the audit of one pin needs next.
        public enum Step: Sendable, Hashable {
            /// The log's milestones after this index, in order, as one page: pass them to `consume(milestones:)`.
            case milestones(after: UInt32)
            /// The log's consistency proof between these tree sizes: pass it to `consume(proof:)`.
            case consistencyProof(from: UInt64, to: UInt64)
            /// The log extends the pin.
            case audited(Audited)
        }

        private enum Phase: Sendable {
            case created
            case milestones
            case proof(newer: Checkpoint, key: NoteVerifierKey)
            case finished
        }

        /// The pin followed.
        public let pin: Pin
        /// What the log presents.
        public let presented: Presented

        private let newest: LedgerMessage
        private let newestIndex: UInt32
        private let pinnedIndex: UInt32
        private let pinned: Checkpoint
        private var chain: MilestoneChain
        /// The key that signed the last milestone accepted, or the pinned one (its checkpoint note may be signed
        /// by it, not by the key it hands over to; a pin at it keeps it as `Pin.milestoneKey`).
        private var signer: Ed25519.PublicKey
        private var rotations: [Int] = []
        private var phase = Phase.created

        /// Resumes the pinned milestone chain from the key that signed the pinned milestone (`Pin.milestoneKey`,
        /// else the pinned key); fails if the pin is damaged or forged (its milestone does not verify under that
        /// key, or a milestone signed by another key does not announce the pinned key), is for another origin, or
        /// the log's newest milestone comes before the pinned one.
        public init(pin: Pin, presented: Presented) throws(LedgerAuditError) {
            try self.init(pin: pin, presented: presented, newest: try presented.newestMilestone.decoded())
        }

        init(pin: Pin, presented: Presented, newest: LedgerMessage) throws(LedgerAuditError) {
            guard pin.origin == presented.origin else {
                throw .originMismatch(pinned: pin.origin, presented: presented.origin)
            }
            self.pin = pin
            self.presented = presented
            self.newest = newest
            let pinnedKey: NoteVerifierKey
            let milestoneKey: NoteVerifierKey
            let pinnedMessage: LedgerMessage
            do {
                pinnedKey = try NoteVerifierKey(parsing: pin.coordinatorKey)
                milestoneKey = try pin.milestoneKey.map { try NoteVerifierKey(parsing: $0) } ?? pinnedKey
                pinnedMessage = try LedgerMessage(bytes: try Base64.decode(pin.milestone))
            } catch {
                throw .pinDamaged("\(error)")
            }
            do { chain = try MilestoneChain(resumingAfter: pinnedMessage, signer: milestoneKey.publicKey) } catch {
                throw .pinnedMilestoneUnverified(key: milestoneKey.shortName, reason: error)
            }
            // Pinned at the milestone that announced the pinned key: it is the key in force after it.
            guard milestoneKey == pinnedKey || chain.coordinatorKey == pinnedKey.publicKey else {
                throw .pinnedKeyNotAnnounced(key: pinnedKey.shortName, signer: milestoneKey.shortName)
            }
            pinned = try LedgerAudit.checkpoint(of: pinnedMessage, origin: pin.origin)
            pinnedIndex = chain.index
            newestIndex = newest.payload.milestone?.essence.index ?? 0
            guard newestIndex >= chain.index else { throw .rollback(newest: newestIndex, pinned: chain.index) }
            signer = milestoneKey.publicKey
        }

        /// The first step: the milestones since the pin, or, if the pinned milestone is the newest, the checks
        /// that follow them.
        public mutating func start() throws(LedgerAuditError) -> Step {
            guard case .created = phase else { preconditionFailure("a pin audit is started once") }
            phase = .milestones
            return try afterMilestones()
        }

        /// Takes the page of milestones the last step asked for; entries beyond the newest milestone are ignored.
        public mutating func consume(milestones page: [MilestoneEntry]) throws(LedgerAuditError) -> Step {
            guard case .milestones = phase, chain.index < newestIndex else {
                preconditionFailure("the pin audit asked for no milestones")
            }
            guard !page.isEmpty else { throw .milestonesMissing(from: chain.index + 1, to: newestIndex) }
            for entry in page where chain.index < newestIndex {
                let message = try entry.decoded()
                signer = chain.coordinatorKey
                do { try chain.accept(message) } catch { throw .brokenChain(milestone: entry.index, reason: error) }
                if message.payload.milestone?.essence.nextCoordinatorKey != nil { rotations.append(entry.index) }
            }
            return try afterMilestones()
        }

        /// Takes the consistency proof the last step asked for.
        public mutating func consume(proof: [Digest32]) throws(LedgerAuditError) -> Step {
            guard case .proof(let newer, let key) = phase else {
                preconditionFailure("the pin audit asked for no proof")
            }
            return try finish(newer: newer, key: key, proof: proof)
        }

        /// More milestones, or, once the chain reached the newest milestone: it must be the one the log presents,
        /// hand over to the key the log presents, and agree with the signed checkpoint.
        private mutating func afterMilestones() throws(LedgerAuditError) -> Step {
            if chain.index < newestIndex { return .milestones(after: chain.index) }
            guard chain.lastMilestoneID == newest.id else { throw .unexpectedNewestMilestone(newest.id) }
            let current = try LedgerAudit.key(name: pin.origin, publicKey: chain.coordinatorKey)
            guard presented.coordinatorKey == current.text else {
                throw .keyChanged(presented: presented.coordinatorKey, chainKey: current.shortName)
            }
            let newer = try LedgerAudit.checkpoint(of: newest, origin: pin.origin)
            // The C2SP note must agree with the milestone it was cut from.
            let noteSigners = [current, try LedgerAudit.key(name: pin.origin, publicKey: signer)]
            if let published = try? Checkpoint.verified(note: presented.checkpoint, keys: noteSigners),
                published.size == newer.size, published.root != newer.root
            {
                throw .checkpointDisagrees(size: newer.size)
            }
            guard newer.size > pinned.size && pinned.size > 0 else { return try finish(newer: newer, key: current) }
            phase = .proof(newer: newer, key: current)
            return .consistencyProof(from: pinned.size, to: newer.size)
        }

        private mutating func finish(newer: Checkpoint, key: NoteVerifierKey, proof: [Digest32] = [])
            throws(LedgerAuditError) -> Step
        {
            phase = .finished
            let outcome: ConsistencyCheck.Outcome
            do { outcome = try ConsistencyCheck.verify(pinned: pinned, newer: newer, proof: proof) } catch {
                throw .inconsistent(error)
            }
            // At a milestone that announces the presented key, the pin trusts that key and keeps the one that
            // signed the milestone, so the next audit can verify the milestone and resume from it.
            let milestoneKey = try LedgerAudit.key(name: pin.origin, publicKey: signer)
            let updated = Pin(
                origin: pin.origin, coordinatorKey: key.text, checkpoint: presented.checkpoint,
                milestone: presented.newestMilestone.message,
                milestoneKey: milestoneKey == key ? nil : milestoneKey.text)
            return .audited(
                Audited(
                    pin: updated, outcome: outcome, size: newer.size, rotations: rotations,
                    milestones: pinnedIndex...newestIndex))
        }
    }
}
