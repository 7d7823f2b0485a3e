import CustosCore
import CustosServer
import CustosStreams
import Foundation

extension StreamsService {
    /// The most envelopes one archive holds; a longer channel is refused with a reason rather than half exported.
    static let maximumArchiveEnvelopes = 100_000

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
            for envelope in rows {
                entries.append([
                    "link": .string(ChannelAddress(channelID: envelope.envelope.id).description),
                    "receipt": try await receipt(of: envelope, tenant: tenant),
                ])
            }
            position = last.position + 1
        }
        return try JCS.canonicalBytes([
            "format": "custos-channel-archive/1", "tenant": .string(tenant.rawValue),
            "channelAddress": .string(address.description), "entries": .array(entries),
        ])
    }

    /// The receipt of an envelope's ledger message, once a milestone has put it in the log.
    private func receipt(of row: EnvelopeRow, tenant: TenantID) async throws -> JSONValue {
        for _ in 0..<50 {
            if let bytes = try? await ledger.receipt(tenant: tenant, id: row.messageID) {
                return try JSONParser.parse(bytes)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw RequestError(
            .unavailable, "envelope \(row.position) is not in a checkpoint yet; export again in a few seconds")
    }
}
