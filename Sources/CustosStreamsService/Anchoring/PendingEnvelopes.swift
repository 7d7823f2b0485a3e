import CustosCore
import CustosStreams
import Foundation
import Logging
import ServiceLifecycle

/// Anchors what no writer waits for any more: envelopes that a crash, or an unreachable ledger, left recorded but
/// not on the ledger. Looks every ``interval`` (the first time one interval after start, once the migrations ran),
/// at channels whose latest envelope is older than ``age`` (a younger one belongs to a round under way). A busy
/// channel needs no look: its next round takes what is pending first.
struct PendingEnvelopes: Service, CustomStringConvertible {
    static let interval: Duration = .seconds(10)
    static let age: TimeInterval = 2

    let service: StreamsService

    // Service lifecycle logs its services' descriptions; the default one would spell out the clients' tokens.
    var description: String { "PendingEnvelopes" }

    func run() async {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                await anchorLeftovers()
            }
        }
    }

    /// One look: every channel with old pending envelopes gets rounds until they are anchored, or until one fails
    /// (the next look tries again).
    func anchorLeftovers() async {
        let channels: [(tenant: TenantID, channelID: Digest32)]
        do {
            channels = try await service.store.channelsWithPendingEnvelopes(
                recordedBefore: service.now().addingTimeInterval(-Self.age), limit: 1000)
        } catch {
            service.logger.warning("could not look for envelopes to anchor", metadata: ["error": "\(error)"])
            return
        }
        for (tenant, channelID) in channels {
            guard !Task.isCancelled else { return }
            // A round that fails has logged why; the next look tries again.
            guard (try? await service.anchored(tenant, channelID, [])) != nil else { continue }
            service.logger.info(
                "anchored envelopes left pending",
                metadata: ["tenant": "\(tenant)", "channel": "\(ChannelAddress(channelID: channelID))"])
        }
    }
}
