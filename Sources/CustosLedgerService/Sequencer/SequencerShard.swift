import CustosCore
import CustosCrypto

/// The share of tenants that one session advisory lock guards: a ledger worker sequences a tenant only while it
/// holds the lock of the tenant's shard.
///
/// Tenants are hashed into a fixed number of shards instead of getting one lock each: PostgreSQL keeps advisory
/// locks in its shared lock table (`max_locks_per_transaction` × `max_connections` entries), which one lock per
/// tenant would exhaust at a few thousand tenants on a default server. 256 locks at most per worker fit any server.
struct SequencerShard: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// How many shards there are; part of the on-disk contract, since every replica must agree.
    static let count: Int32 = 256
    /// The first key of every shard's advisory lock (`pg_try_advisory_lock(namespace, shard)`), "csqr".
    static let lockNamespace: Int32 = 0x6373_7172

    /// 0 ..< ``count``.
    let index: Int32

    /// The shard of `tenant`: the first two bytes of SHA-256 of its id, modulo ``count``.
    init(_ tenant: TenantID) {
        let digest = SHA256.hash(Array(tenant.rawValue.utf8))
        index = (Int32(digest[0]) << 8 | Int32(digest[1])) % Self.count
    }

    init(index: Int32) {
        precondition((0..<Self.count).contains(index), "shard \(index) out of range")
        self.index = index
    }

    /// Every shard.
    static var all: [SequencerShard] { (0..<count).map { SequencerShard(index: $0) } }

    static func < (lhs: SequencerShard, rhs: SequencerShard) -> Bool { lhs.index < rhs.index }

    var description: String { "shard \(index)" }
}
