import CustosAuth
import CustosClients
import CustosControlAPI
import CustosCore
import CustosCrypto
import CustosServer
import Foundation
import Logging

/// Creates tenants: the control-plane row, the ledger network, the first API key and the gateway.
///
/// Gateways are desired state: the control plane records a port per tenant, and the local provisioner
/// (`custos up`) runs a gateway process for each active tenant, as an operator would on Kubernetes.
public struct TenantProvisioner: Sendable {
    let store: ControlStore
    let ledger: LedgerClient
    let ssi: SSIClient
    let publicHost: String
    let gatewayReadyTimeout: Duration
    let capacity: TenantCapacity
    let logger: Logger

    /// Creates a provisioner.
    public init(
        store: ControlStore, ledger: LedgerClient, ssi: SSIClient, publicHost: String,
        gatewayReadyTimeout: Duration = .seconds(20),
        capacity: TenantCapacity = TenantCapacity(), logger: Logger
    ) {
        self.capacity = capacity
        self.store = store
        self.ledger = ledger
        self.ssi = ssi
        self.publicHost = publicHost
        self.gatewayReadyTimeout = gatewayReadyTimeout
        self.logger = logger
    }

    /// The URL integrators use for a tenant's gateway.
    func gatewayURL(port: Int) -> String { "http://\(publicHost):\(port)" }

    /// Provisions a tenant and returns it with its first API key.
    func create(id: TenantID, name: String) async throws -> ControlAPI.CreatedTenant {
        if try await store.tenant(id) != nil { throw RequestError(.conflict, "tenant \(id) already exists") }
        let limits = try await store.connectionLimits()
        if let refusal = capacity.refusal(
            provisioned: try await store.provisionedTenantCount(), maxConnections: limits.maximum,
            superuserReserved: limits.superuserReserved)
        {
            logger.warning("tenant refused", metadata: ["tenant": "\(id)", "reason": "\(refusal.message)"])
            throw refusal
        }
        let port = try FreePort.find()
        try await store.insertTenant(id: id, name: name, gatewayPort: port)
        logger.info("provisioning tenant", metadata: ["tenant": "\(id)"])
        do {
            let network = try await createNetwork(for: id)
            // The trust root's document names the network's coordinator key, so it comes after the network.
            _ = try await ssi.createTrustRoot(tenant: id, gatewayURL: gatewayURL(port: port))
            let key = SecretToken.generate(.apiKey)
            let keyRow = try await store.insertKey(key, tenant: id, name: "initial")
            try await store.updateTenant(id, status: "active", ledgerNetwork: network)
            let ready = await HealthProbe.waitUntilReady("http://127.0.0.1:\(port)", timeout: gatewayReadyTimeout)
            guard let row = try await store.tenant(id) else { throw RequestError(.internalFailure, "tenant vanished") }
            logger.info("tenant active", metadata: ["tenant": "\(id)", "gatewayReady": "\(ready)"])
            return ControlAPI.CreatedTenant(
                apiKey: ControlAPI.CreatedKey(key: Self.body(keyRow), secret: key.secret), gatewayReady: ready,
                tenant: body(row))
        } catch {
            try? await store.updateTenant(id, status: "failed", ledgerNetwork: nil)
            logger.error("provisioning failed", metadata: ["tenant": "\(id)", "error": "\(error)"])
            throw error
        }
    }

    /// The network name is the tenant id without hyphens; on a clash a random suffix keeps it unique.
    private func createNetwork(for id: TenantID) async throws -> String {
        let base = String(id.rawValue.filter { $0 != "-" }.prefix(16))
        do {
            return try await ledger.createNetwork(tenant: id, name: base).name
        } catch let error as RPCError where error.status == 409 {
            let suffix = Hex.encode(SecureRandom.bytes(count: 2))
            return try await ledger.createNetwork(tenant: id, name: String(base.prefix(12)) + suffix).name
        }
    }

    func body(_ row: ControlStore.TenantRow) -> ControlAPI.Tenant {
        ControlAPI.Tenant(
            createdAt: row.createdAt, gatewayUrl: gatewayURL(port: row.gatewayPort), id: row.id.rawValue,
            ledgerNetwork: row.ledgerNetwork ?? "", name: row.name, status: .init(rawValue: row.status) ?? .failed)
    }

    static func body(_ row: ControlStore.KeyRow) -> ControlAPI.Key {
        ControlAPI.Key(
            createdAt: row.createdAt, id: row.id, name: row.name, revokedAt: row.revokedAt,
            scopes: row.scopes?.compactMap(Components.Schemas.Key.ScopesPayloadPayload.init(rawValue:)))
    }
}
