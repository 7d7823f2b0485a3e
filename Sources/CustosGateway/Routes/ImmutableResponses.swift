import CustosCore
import CustosCrypto
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// HTTP caching of what never changes once it exists: an entry (its id is the hash of its bytes), a tile or
/// entry bundle (C2SP tiles, partial ones included, are immutable), and a receipt (its bytes, under the
/// checkpoint it was made for).
///
/// Entries and tiles carry an ETag the gateway knows without asking the ledger worker (the id, the tile path),
/// so a conditional request is answered 304 with no hop; receipts carry the hash of their bytes. Entries the
/// gateway has presented are also kept in memory, up to ``capacity``, since reading them again costs the same
/// hop every time, each under its tenant: a pooled gateway never answers one tenant with another's entry.
final class ImmutableResponses: Sendable {
    /// Entries kept in memory.
    static let capacity = 10_000
    /// Immutable, but private: a tenant's data is for its keys only, never for shared caches.
    static let immutable = "private, max-age=31536000, immutable"
    /// A receipt stays valid, but a newer one (under a newer checkpoint) proves more; clients may keep it a minute.
    static let receiptCaching = "private, max-age=60"

    private struct Key: Hashable {
        let tenant: TenantID
        let id: Digest32
    }

    private struct Store {
        var bodies: [Key: ByteBuffer] = [:]
        var order: [Key] = []
        var next = 0
    }

    private let store = Mutex(Store())

    /// The ETag of an entry or tile: its immutable name.
    static func tag(_ name: String) -> String { "\"\(name)\"" }

    /// Whether the request already holds the representation tagged `etag`.
    static func isFresh(_ request: Request, etag: String) -> Bool {
        guard let header = request.headers[.ifNoneMatch] else { return false }
        return header == "*" || header.split(separator: ",").contains { $0.trimmingPrefix(" ") == etag[...] }
    }

    /// 304 for a fresh conditional request.
    static func notModified(etag: String, caching: String) -> Response {
        Response(status: .notModified, headers: [.eTag: etag, .cacheControl: caching])
    }

    /// A 200 with caching headers.
    static func response(_ body: ByteBuffer, contentType: String, etag: String, caching: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: contentType, .eTag: etag, .cacheControl: caching],
            body: .init(byteBuffer: body))
    }

    /// The receipt's ETag: a hash of its bytes.
    static func receiptTag(_ bytes: [UInt8]) -> String { tag(Hex.encode(BLAKE2b.hash256(bytes))) }

    /// The tenant's presented entry, if kept.
    func entry(_ id: Digest32, of tenant: TenantID) -> ByteBuffer? {
        store.withLock { $0.bodies[Key(tenant: tenant, id: id)] }
    }

    /// Keeps a tenant's presented entry, evicting the oldest kept one when full.
    func keep(_ id: Digest32, of tenant: TenantID, _ body: ByteBuffer) {
        let id = Key(tenant: tenant, id: id)
        store.withLock { store in
            guard store.bodies[id] == nil else { return }
            if store.order.count < Self.capacity {
                store.order.append(id)
            } else {
                store.bodies[store.order[store.next]] = nil
                store.order[store.next] = id
                store.next = (store.next + 1) % Self.capacity
            }
            store.bodies[id] = body
        }
    }
}
