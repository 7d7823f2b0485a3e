import CustosCore
import CustosKubernetes
import CustosOperator
import Foundation
import Logging
import ServiceLifecycle

/// Keeps this process's claim on the Lease, or waits for it to run out; sets ``Leadership`` accordingly.
public struct LeaderElector: Service {
    let client: KubernetesClient
    let election: LeaderElection
    let leaseName: String
    let leadership: Leadership
    let logger: Logger
    /// How often to renew or retry: a third of the lease duration, as client-go's defaults roughly have it.
    let period: Duration

    /// An elector for the Lease `leaseName` in the client's namespace.
    public init(
        client: KubernetesClient, election: LeaderElection, leaseName: String, leadership: Leadership, logger: Logger
    ) {
        self.client = client
        self.election = election
        self.leaseName = leaseName
        self.leadership = leadership
        self.logger = logger
        self.period = .seconds(max(1, election.leaseDurationSeconds / 3))
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await step(now: Date())
                try await Task.sleep(for: period)
            }
        }
        await release()
    }

    /// One round: read the Lease, decide, write. A conflict or failure means not leading this round; a leader
    /// that cannot renew stops leading before its claim runs out.
    public func step(now: Date) async {
        do {
            let lease = try await client.get(.leases, name: leaseName).map(LeaseRecord.init(object:))
            let decision = election.decide(lease, now: now)
            switch decision {
            case .create(let record):
                try await client.create(.leases, record.object(name: leaseName, namespace: client.namespace))
            case .acquire(let record), .renew(let record):
                try await client.replace(.leases, record.object(name: leaseName, namespace: client.namespace))
            case .standby:
                break
            }
            let leading: Bool
            if case .standby = decision { leading = false } else { leading = true }
            if leading != (await leadership.isLeader) {
                logger.notice("leadership", metadata: ["leader": "\(leading)", "lease": "\(leaseName)"])
            }
            await leadership.set(leading)
        } catch {
            logger.warning("lease", metadata: ["lease": "\(leaseName)", "error": "\(error)"])
            await leadership.set(false)
        }
    }

    /// Gives the Lease up on shutdown, so that another replica need not wait for it to run out.
    func release() async {
        guard await leadership.isLeader else { return }
        await leadership.set(false)
        guard let object = try? await client.get(.leases, name: leaseName) else { return }
        var record = LeaseRecord(object: object)
        guard record.holderIdentity == election.identity else { return }
        record.holderIdentity = nil
        record.leaseDurationSeconds = 1
        _ = try? await client.replace(.leases, record.object(name: leaseName, namespace: client.namespace))
        logger.notice("lease released", metadata: ["lease": "\(leaseName)"])
    }
}
