import CustosCore
import CustosCrypto
import CustosLedger

/// A tenant's ledger network as stored.
struct NetworkRow: Sendable, Equatable {
    var name: String
    var networkID: UInt64
    var origin: String
}

/// A coordinator key, its seed already unsealed.
struct CoordinatorKey: Sendable {
    var index: Int
    var privateKey: Ed25519.PrivateKey
}

/// The newest milestone of a tenant, as the sequencer needs it to continue.
struct MilestoneRow: Sendable {
    var index: UInt32
    var messageID: Digest32
    var timestamp: UInt64
    var logSize: UInt64
    var logRoot: Digest32
    var checkpoint: String
    var keyIndex: Int
    var announcesNextKey: Bool
    var unconfirmedFromSeq: Int64
}

/// A message that is not confirmed yet, reloaded after a restart.
struct UnconfirmedRow: Sendable {
    var seq: Int64
    var id: Digest32
    var message: LedgerMessage
}

/// Everything a milestone commit writes, in one transaction.
struct MilestoneCommit: Sendable {
    var message: StoredMessage
    var row: MilestoneRow
    var firstLeafIndex: UInt64
    var leaves: [Digest32]
    var tiles: [(id: TileID, content: [UInt8])]
}
