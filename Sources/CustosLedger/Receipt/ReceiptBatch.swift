import CustosCore

/// The binary form in which a gateway asks the ledger worker for several receipts in one call, and the worker
/// answers with each one's outcome (docs/ledger.md §4.2).
///
/// The request is the 32-byte message ids, 1 to ``maximumCount`` of them. The answer holds one result per id, in
/// request order: `status u16 | length u32 | bytes`, little-endian, where status 200 carries the receipt's RFC 8785
/// canonical JSON (the bytes `GET .../receipt` answers) and any other status the error message that route would
/// have given with it.
public enum ReceiptBatch {
    /// The most receipts one batch asks for: a receipt carries its message, so the answer grows with each one.
    public static let maximumCount = 64

    /// What the worker answers for one id.
    public enum Outcome: Sendable, Equatable {
        /// The receipt's canonical JSON.
        case receipt([UInt8])
        /// The HTTP status and message the single receipt route would have answered.
        case refused(status: Int, message: String)
    }

    /// The request's bytes: the ids in order.
    public static func encode(ids: [Digest32]) -> [UInt8] {
        EntryBatch.encode(ids: ids)
    }

    /// Parses a request of 1 to ``maximumCount`` ids.
    public static func decodeIDs(_ bytes: [UInt8]) throws(LedgerError) -> [Digest32] {
        guard bytes.count.isMultiple(of: 32) else {
            throw LedgerError("a receipt batch is whole 32-byte message ids; \(bytes.count) bytes is not")
        }
        let count = bytes.count / 32
        guard (1...maximumCount).contains(count) else {
            throw LedgerError("a receipt batch asks for 1 to \(maximumCount) receipts, not \(count)")
        }
        return try EntryBatch.decodeIDs(bytes, count: count)
    }

    /// The answer's bytes, one result per id in request order.
    public static func encode(outcomes: [Outcome]) -> [UInt8] {
        var bytes: [UInt8] = []
        for outcome in outcomes {
            let (status, body): (UInt16, [UInt8]) =
                switch outcome {
                case .receipt(let receipt): (200, receipt)
                case .refused(let status, let message): (UInt16(clamping: status), Array(message.utf8))
                }
            bytes.appendLittleEndian(status)
            bytes.appendLittleEndian(UInt32(body.count))
            bytes.append(contentsOf: body)
        }
        return bytes
    }

    /// Parses an answer that must hold exactly `count` results; anything truncated or left over is an error.
    public static func decodeOutcomes(_ bytes: [UInt8], count: Int) throws(LedgerError) -> [Outcome] {
        var reader = ByteReader(bytes)
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(count)
        for index in 0..<count {
            let status = Int(try reader.readInteger(UInt16.self, "status of result \(index)"))
            let length = Int(try reader.readInteger(UInt32.self, "length of result \(index)"))
            let body = Array(try reader.read(length, "body of result \(index)"))
            if status == 200 {
                outcomes.append(.receipt(body))
            } else {
                guard (400...599).contains(status) else {
                    throw LedgerError("result \(index) has status \(status), neither 200 nor an error")
                }
                guard let message = String(validating: body, as: UTF8.self) else {
                    throw LedgerError("the message of result \(index) is not UTF-8")
                }
                outcomes.append(.refused(status: status, message: message))
            }
        }
        guard reader.remaining == 0 else { throw LedgerError("\(reader.remaining) bytes after the last result") }
        return outcomes
    }
}
