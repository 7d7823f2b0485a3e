import CustosCore
import CustosLedger

/// The offline check of one entry of the platform's audit ledger, as `custosctl audit verify` runs it: the
/// receipt must verify under the trusted coordinator key and origin, commit to the listed message, carry the
/// audit tag and exactly the listed data, and that data must be the event the listing shows.
///
/// Nothing the control plane says is taken on trust beyond the key: the listing is only compared with what the
/// receipt proves.
public enum PlatformAuditCheck {
    /// Verifies `receipt` for a listed entry; returns the record the receipt proves.
    public static func verify(
        _ entry: ControlAPI.AuditEntry, receipt: [UInt8], trustedKey: NoteVerifierKey, origin: String
    ) throws(PlatformAuditError) -> PlatformAuditRecord {
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
            (event.sequence == Int(record.sequence) && event.actor == record.actor && event.event == record.event
                && event.tenant == record.tenant && event.operation == record.operation
                && event.detail == record.detail
                // The API's date-times may leave out the milliseconds the record keeps.
                && Timestamp.parse(record.at).map(Timestamp.iso8601) == Timestamp.iso8601(event.at))
        guard shown else { throw PlatformAuditError("the listing shows another event than entry \(record.sequence)") }
        return record
    }
}
