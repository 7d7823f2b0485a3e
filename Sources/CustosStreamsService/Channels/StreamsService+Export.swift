import CustosCore
import CustosServer
import CustosStreams
import Foundation

extension StreamsService {
    /// The most envelopes one archive holds; a longer channel is refused with a reason rather than half exported.
    static let maximumArchiveEnvelopes = 10_000
    /// The largest archive, below what the gateway relays (32 MiB) and `custosctl verify` reads.
    static let maximumArchiveBytes = 30 << 20

    /// `GET /api/v1/channels`: every channel of the tenant, for its administrators, in creation order.
    func listChannels(_ tenant: TenantID, limit: Int, offset: Int) async throws -> JSONValue {
        var search = ChannelSearch()
        search.viewerIsAdmin = true
        search.limit = limit
        search.offset = offset
        search.ascending = true
        return try await searchChannels(tenant, search, caller: RelayedCaller(did: nil, role: "Admin"))
    }

    /// `GET /api/v1/channels/{channelAddress}`: a channel's info with all its subscriptions and its size.
    func channelSummary(_ tenant: TenantID, address: ChannelAddress) async throws -> JSONValue {
        let row = try await channel(tenant, address)
        let subscriptions = try await store.subscriptions(tenant, row.channelID)
        let admin = RelayedCaller(did: nil, role: "Admin")
        return [
            "channel": Self.info(row, subscriptions: subscriptions, caller: admin),
            "subscriptions": .array(subscriptions.map { Self.json($0, channel: row) }),
            "envelopes": .number(Double(row.nextPosition)),
            "epoch": .number(Double(row.epoch)),
        ]
    }

    /// `GET /api/v1/channels/{channelAddress}/export`: the channel as one archive that verifies offline
    /// (docs/channels.md §16): every envelope in ledger order, each with the ledger receipt of its message, as RFC
    /// 8785 JSON. Waits up to ten seconds for the newest envelopes to be in a checkpoint.
    func export(_ tenant: TenantID, address: ChannelAddress) async throws -> [UInt8] {
        let row = try await channel(tenant, address)
        guard row.nextPosition <= Self.maximumArchiveEnvelopes else {
            throw RequestError(
                .payloadTooLarge,
                "the channel has \(row.nextPosition) envelopes; an archive holds at most \(Self.maximumArchiveEnvelopes)"
            )
        }
        var entries: [JSONValue] = []
        var position: Int64 = 0
        while true {
            let rows = try await store.envelopes(tenant, row.channelID, from: position, limit: 500)
            guard let last = rows.last else { break }
            // Sixteen receipts at a time, in order: a long channel exports in seconds, not minutes.
            for start in stride(from: 0, to: rows.count, by: 16) {
                let chunk = Array(rows[start..<min(start + 16, rows.count)])
                let receipts = try await withThrowingTaskGroup(of: (Int, JSONValue).self) { group in
                    for (index, row) in chunk.enumerated() {
                        group.addTask { (index, try await receipt(of: row, tenant: tenant)) }
                    }
                    var found = [JSONValue](repeating: .null, count: chunk.count)
                    for try await (index, receipt) in group { found[index] = receipt }
                    return found
                }
                for (row, receipt) in zip(chunk, receipts) {
                    entries.append([
                        "link": .string(ChannelAddress(channelID: row.envelope.id).description), "receipt": receipt,
                    ])
                }
            }
            position = last.position + 1
        }
        let archive = try JCS.canonicalBytes([
            "format": "custos-channel-archive/1", "tenant": .string(tenant.rawValue),
            "channelAddress": .string(address.description), "entries": .array(entries),
        ])
        guard archive.count <= Self.maximumArchiveBytes else {
            throw RequestError(
                .payloadTooLarge,
                "the archive would take \(archive.count) bytes; one holds at most \(Self.maximumArchiveBytes)")
        }
        return archive
    }

    /// The receipt of an envelope's ledger message, once a milestone has put it in the log.
    private func receipt(of row: EnvelopeRow, tenant: TenantID) async throws -> JSONValue {
        for _ in 0..<50 {
            if let bytes = try? await ledger.receipt(tenant: tenant, id: try row.anchoredID) {
                return try JSONParser.parse(bytes)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw RequestError(
            .unavailable, "envelope \(row.position) is not in a checkpoint yet; export again in a few seconds")
    }
}
