import CustosClients

/// What `custosctl audit verify` found: printed line by line as text, or, with `-o json` or `-o yaml`, kept and
/// printed as one document at the end (so that a script reads one verdict).
struct AuditVerifyReport: Encodable {
    /// Whether every entry verified.
    var valid = true
    var origin: String
    /// The coordinator key the receipts were verified under.
    var coordinatorKey: String
    /// Entries seen, repeats and rejected ones included.
    var entries = 0
    /// The highest index seen.
    var top: Int64 = 0
    var repeats = 0
    /// Entries not signed by the control plane (before its first signed one).
    var unsigned = 0
    /// Events the control plane had not recorded yet.
    var pending = 0
    /// The records' chain of signers: each key and the first entry it signs.
    var signers: [PlatformAuditCheck.Signers.Handover] = []
    /// Why entries or the listing were refused.
    var rejected: [String] = []
    /// Pins written and what else is worth knowing.
    var notes: [String] = []

    /// Whether to print one document at the end instead of lines as they come.
    private let structured: Bool
    /// The notes the text output prints after its verdict.
    private var closingNotes: [String] = []

    private enum CodingKeys: String, CodingKey {
        case valid, origin, coordinatorKey, entries, top, repeats, unsigned, pending, signers, rejected, notes
    }

    init(origin: String, coordinatorKey: String, structured: Bool) {
        self.origin = origin
        self.coordinatorKey = coordinatorKey
        self.structured = structured
    }

    mutating func reject(_ reason: String) {
        valid = false
        rejected.append(reason)
        if !structured { print("REJECTED \(reason)") }
    }

    /// A pin written or a key that changed, printed at once as text.
    mutating func pin(_ text: String) {
        notes.append(text)
        if !structured { print(text) }
    }

    /// A note printed after the verdict.
    mutating func note(_ text: String) {
        notes.append(text)
        closingNotes.append(text)
    }

    /// The verdict line, then the notes, as text.
    func printVerdict(shortKey: String) {
        print(
            "\(valid ? "VALID" : "INVALID"): \(entries) entries of \(origin), indexes 1 to \(top)"
                + "\(valid ? " without a gap" : ""), under \(shortKey)" + signedBy
                + (valid ? "" : "; \(rejected.count) rejected"))
        for note in closingNotes { print("note: \(note)") }
    }

    /// ", signed by the control plane's key K", naming each key and where it took over when there were several.
    private var signedBy: String {
        guard signers.count > 1 else {
            return signers.first.map { ", signed by the control plane's key \($0.signer)" } ?? ""
        }
        return ", signed by the control plane's keys "
            + signers.map { "\($0.signer) (from entry \($0.fromIndex))" }.joined(separator: ", then ")
    }
}
