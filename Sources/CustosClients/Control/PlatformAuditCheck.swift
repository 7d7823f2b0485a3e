import CustosCore
import CustosLedger

/// The offline check of one entry of the platform's audit ledger, as `custosctl audit verify` runs it: the
/// receipt must verify under the trusted coordinator key and origin, commit to the listed message, carry the
/// audit tag and exactly the listed data, and that data must be the event the listing shows.
///
/// Nothing the control plane says is taken on trust beyond the key: the listing is only compared with what the
/// receipt proves.
public enum PlatformAuditCheck {
    /// What a receipt proves of an entry: its record, and its place in the log.
    public struct Proven: Sendable, Equatable {
        /// The record the entry's data holds.
        public var record: PlatformAuditRecord
        /// The entry's leaf in the platform ledger's Merkle log.
        public var leafIndex: UInt64
        /// The entry's message id.
        public var messageID: String
        /// The signed checkpoint its receipt proves it under.
        public var checkpoint: Checkpoint?

        /// Creates a proven entry.
        public init(record: PlatformAuditRecord, leafIndex: UInt64, messageID: String, checkpoint: Checkpoint? = nil) {
            self.record = record
            self.leafIndex = leafIndex
            self.messageID = messageID
            self.checkpoint = checkpoint
        }
    }

    /// Verifies `receipt` for a listed entry; returns what it proves.
    public static func verify(
        _ entry: ControlAPI.AuditEntry, receipt: [UInt8], trustedKey: NoteVerifierKey, origin: String
    ) throws(PlatformAuditError) -> Proven {
        let report: ReceiptReport
        do {
            report = try ReceiptVerifier.verify(
                jsonText: String(decoding: receipt, as: UTF8.self), trustedKey: trustedKey, expectedOrigin: origin)
        } catch { throw PlatformAuditError("receipt rejected: \(error)") }
        guard report.messageID.hex == entry.messageId else {
            throw PlatformAuditError("the receipt is of message \(report.messageID.hex), not \(entry.messageId)")
        }
        guard let payload = report.message.payload.taggedData, payload.tag == Array(PlatformAuditRecord.tag.utf8)
        else { throw PlatformAuditError("the message is not a platform audit entry") }
        guard let listed = try? Base64.decode(entry.data), listed == payload.data else {
            throw PlatformAuditError("the listed data differs from what the receipt commits to")
        }
        let record = try PlatformAuditRecord(data: payload.data)
        let event = entry.event
        let shown =
            (event.index == Int(record.index) && event.sequence == Int(record.sequence) && event.actor == record.actor
                && event.event == record.event
                && event.tenant == record.tenant && event.operation == record.operation
                && event.detail == record.detail
                // The API's date-times may leave out the milliseconds the record keeps.
                && Timestamp.parse(record.at).map(Timestamp.iso8601) == Timestamp.iso8601(event.at))
        guard shown else { throw PlatformAuditError("the listing shows another event than entry \(record.index)") }
        return Proven(
            record: record, leafIndex: report.leafIndex, messageID: entry.messageId, checkpoint: report.checkpoint)
    }

    /// Who signed the verified entries, in ledger order: every record after the first signed one must be signed,
    /// by the key the audit is signed by at that point: the first signer, then, after each rotation record (signed
    /// by the key it hands over from), the key it names. Every trusted key (given, or kept from an earlier run)
    /// must be one of that chain; with none, the chain's newest key is pinned now (trust on first use).
    ///
    /// Unsigned records are accepted only before the first signed one: the history of an installation from
    /// before its control plane had a signing key. Whoever holds only the service token can append entries, but
    /// cannot sign them: what it appends after the control plane's first signed record is rejected, and so is a
    /// record signed by a key the audit was handed over from.
    public struct Signers: Sendable {
        /// A key of the chain and the first index it signed (for a key named by a rotation no record has used
        /// yet, the index after the rotation).
        public struct Handover: Sendable, Equatable, Encodable {
            /// The key, as records name it.
            public var signer: String
            /// The first entry it signs.
            public var fromIndex: Int64

            /// A key that signs from `fromIndex` on.
            public init(signer: String, fromIndex: Int64) {
                self.signer = signer
                self.fromIndex = fromIndex
            }
        }

        /// The keys that must be in the chain.
        public let trusted: [String]
        /// The keys that signed the audit, oldest first.
        public private(set) var chain: [Handover] = []
        /// Unsigned records accepted (before the first signed one).
        public private(set) var unsigned = 0

        /// Checks signatures against the chain, which must include every key of `trusted`.
        public init(trusted: [String]) {
            self.trusted = trusted.reduce(into: []) { keys, key in if !keys.contains(key) { keys.append(key) } }
        }

        /// The key that signs the next record, once a signed record was seen.
        public var current: String? { chain.last?.signer }

        /// Adds the next verified entry's record (its signature itself was checked when it was read), unless it
        /// repeats an earlier one (``Order``), which was signed by the key of its first copy; returns why it is
        /// refused, if it is.
        public mutating func add(_ record: PlatformAuditRecord) -> String? {
            guard let signer = record.signer else {
                if current != nil {
                    return "entry \(record.index) is not signed, after entries the control plane signed: it was "
                        + "not written by the control plane"
                }
                unsigned += 1
                return nil
            }
            guard let current else {
                chain = [Handover(signer: signer, fromIndex: record.index)]
                return handOver(record)
            }
            guard signer == current else {
                let earlier = chain.dropLast().contains { $0.signer == signer }
                return "entry \(record.index) is signed by \(signer), not by \(current), the key the audit is signed "
                    + "by from entry \(chain.last!.fromIndex) on"
                    + (earlier ? " (the audit was handed over from \(signer) before)" : "")
            }
            return handOver(record)
        }

        private mutating func handOver(_ record: PlatformAuditRecord) -> String? {
            guard let next = record.nextSigner else { return nil }
            chain.append(Handover(signer: next, fromIndex: record.index + 1))
            return nil
        }

        /// Why the chain does not hold every trusted key, once every entry was added.
        public func untrusted() -> String? {
            guard !chain.isEmpty else { return nil }
            let missing = trusted.filter { key in !chain.contains { $0.signer == key } }
            guard !missing.isEmpty else { return nil }
            return "the audit is signed by \(chain.map(\.signer).joined(separator: " then ")), not by the trusted key "
                + missing.joined(separator: " or ")
        }
    }

    /// The order of verified entries, in ledger order: their leaves increase (the listing is the log's order,
    /// so no entry can be shown in another's place), indexes run 1, 2, 3, ... without a gap, and an index seen
    /// before must repeat its content exactly (an event attached again after a restart of the control plane).
    public struct Order: Sendable {
        /// The recent entries by index: a repeat is at most a recorder's batch behind.
        private var recent: [Int64: PlatformAuditRecord] = [:]
        /// The newest entry of the highest index (its first copy, when it was attached twice).
        public private(set) var newest: Proven?
        private var lastLeaf: UInt64?
        /// The highest index seen.
        public private(set) var top: Int64 = 0
        /// The entries seen, repeats and rejected ones included.
        public private(set) var count = 0
        /// The entries that repeated an earlier one.
        public private(set) var repeats = 0

        /// An empty order.
        public init() {}

        /// Whether `record` repeats an entry added before: the same index with the same content.
        public func isRepeat(_ record: PlatformAuditRecord) -> Bool {
            record.index <= top && recent[record.index] == record
        }

        /// Adds the next verified entry; returns why its place is wrong, if it is.
        public mutating func add(_ entry: Proven) -> String? {
            count += 1
            let record = entry.record
            if let lastLeaf, entry.leafIndex <= lastLeaf {
                return
                    "entry \(record.index) is leaf \(entry.leafIndex), not after leaf \(lastLeaf): listed out of the log's order"
            }
            lastLeaf = entry.leafIndex
            if record.index <= top {
                guard recent[record.index] == record else {
                    return "index \(record.index) appears again with other content"
                }
                repeats += 1
                return nil
            }
            let missing = record.index == top + 1 ? nil : "entries \(top + 1) to \(record.index - 1) are missing"
            top = record.index
            newest = entry
            recent[record.index] = record
            recent[record.index - 4096] = nil
            return missing
        }

        /// Counts an entry that failed its check.
        public mutating func skip() { count += 1 }

        /// The leaves the listing has shown: one past the last entry's leaf.
        public var leavesShown: UInt64 { lastLeaf.map { $0 + 1 } ?? 0 }

        /// Why the listing falls short of a signed checkpoint of `size` leaves, if it does. Every leaf of the
        /// audit ledger is an audit entry (milestones are not leaves), so a listing that ends before the newest
        /// checkpoint seen leaves out entries that the ledger has already confirmed.
        public func heldBack(under size: UInt64) -> String? {
            guard size > leavesShown else { return nil }
            return "a signed checkpoint covers \(size) leaves but the listing ends at leaf \(leavesShown): "
                + "\(size - leavesShown) confirmed entries are held back (or are not audit entries)"
        }
    }
}
