import CustosCore
import CustosLedger
import Foundation

/// A message as the ledger worker keeps it: the canonical bytes plus arrival metadata.
struct StoredMessage: Sendable {
    var seq: Int64
    var id: Digest32
    var message: LedgerMessage
    var raw: [UInt8]
    var contentType: String
    var receivedAt: Date
}
