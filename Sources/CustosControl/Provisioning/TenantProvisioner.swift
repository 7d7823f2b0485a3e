import CustosAuth
import CustosClients
import CustosControlAPI
import CustosCore
import CustosCrypto
import CustosPolicy
import CustosServer
import Foundation
import Logging

/// Performs the steps of tenant operations: the ledger network, the trust root, the state changes, the
/// gateways, and the erasure of a deleted tenant's data in every worker.
///
/// Every step is safe to perform again (a control plane killed half-way resumes the operation at the step it
/// was at): the ledger network and the trust root are created only when missing, and a state change sets a
/// state. Gateways are desired state: the control plane records a port per dedicated tenant, and the local
/// provisioner (`custos up`) runs a gateway process for each, as an operator would on Kubernetes; the pooled
/// gateways serve every tenant.
public struct TenantProvisioner: Sendable {
    let store: ControlStore
    let ledger: LedgerClient
    let ssi: SSIClient
    let streams: StreamsClient
    let addresses: GatewayAddresses
    let plans: PlanCatalog
    let gatewayReadyTimeout: Duration
    let capacity: TenantCapacity
    let logger: Logger

    /// Creates a provisioner.
    public init(
        store: ControlStore, ledger: LedgerClient, ssi: SSIClient, streams: StreamsClient,
        addresses: GatewayAddresses,
        plans: PlanCatalog = .shipped, gatewayReadyTimeout: Duration = .seconds(20),
        capacity: TenantCapacity = TenantCapacity(), logger: Logger
    ) {
        self.capacity = capacity
        self.store = store
        self.ledger = ledger
        self.ssi = ssi
        self.streams = streams
        self.addresses = addresses
        self.plans = plans
        self.gatewayReadyTimeout = gatewayReadyTimeout
        self.logger = logger
    }

    /// The steps of an operation, in order.
    static func steps(_ kind: OperationKind) -> [String] {
        switch kind {
        case .create: ["ledger-network", "trust-root", "activate", "gateway"]
        case .suspend: ["suspend"]
        case .resume: ["resume"]
        case .setPlan: ["plan", "gateway"]
        case .delete: ["block", "ledger", "identities", "channels", "finish"]
        }
    }

    /// Refuses a tenant that would not fit, before anything is stored; a tenant `moving` to `plan` is already
    /// counted among all tenants, and only its gateway may not fit.
    func checkCapacity(adding plan: Plan, moving: Bool = false) async throws {
        let limits = try await store.connectionLimits()
        let counts = try await store.tenantCounts()
        if let refusal = capacity.refusal(
            tenants: moving ? 0 : counts.tenants, dedicated: counts.dedicated,
            addingDedicated: plan.isolation == .dedicated,
            maxConnections: limits.maximum, superuserReserved: limits.superuserReserved)
        {
            logger.warning("tenant refused", metadata: ["reason": "\(refusal.message)"])
            throw refusal
        }
    }

    /// The named plan, or a 400 that lists the plans.
    func plan(named name: String?) throws(RequestError) -> Plan {
        let name = name ?? plans.defaultPlan
        guard let plan = plans[name] else {
            throw RequestError(
                .invalidInput, "no plan \(name); the plans are \(plans.sorted.map(\.name).joined(separator: ", "))")
        }
        return plan
    }

    /// Performs one step of `operation`.
    func perform(_ step: String, of operation: ControlStore.OperationRow) async throws {
        let tenant = operation.tenant
        switch (operation.kind, step) {
        case (.create, "ledger-network"):
            if try await existing({ try await ledger.network(tenant: tenant) }) == nil {
                try await store.setLedgerNetwork(tenant, try await createNetwork(for: tenant))
            }
        case (.create, "trust-root"):
            // The trust root's document names the network's coordinator key, so it comes after the network.
            if try await existing({ try await ssi.trustRoot(tenant: tenant) }) == nil {
                _ = try await ssi.createTrustRoot(tenant: tenant, gatewayURL: try await gatewayURL(tenant))
            }
        case (.create, "activate"): try await store.setStatus(tenant, .active)
        case (.suspend, _): try await store.setStatus(tenant, .suspended)
        case (.resume, _): try await store.setStatus(tenant, .active)
        case (.setPlan, "plan"):
            let plan = try plan(named: operation.request["plan"])
            guard let row = try await store.tenant(tenant) else { throw RequestError(.notFound, "no tenant \(tenant)") }
            if plan.isolation == .dedicated, row.isolation == .pooled {
                try await checkCapacity(adding: plan, moving: true)
            }
            let port = plan.isolation == .dedicated ? try row.gatewayPort ?? FreePort.find() : nil
            try await store.setPlan(tenant, plan, gatewayPort: port)
        case (.delete, "block"): try await store.beginDeletion(tenant)
        case (.delete, "ledger"): _ = try await existing { try await ledger.erase(tenant: tenant) }
        case (.delete, "identities"): _ = try await ssi.erase(tenant: tenant)
        case (.delete, "channels"): _ = try await streams.erase(tenant: tenant)
        case (.delete, "finish"): try await store.finishDeletion(tenant)
        case (_, "gateway"):
            // A dedicated gateway is started by the provisioner (custos up's, or custos-operator) once the tenant is
            // active with a port.
            if let port = try await store.tenant(tenant)?.gatewayPort {
                let ready = await HealthProbe.waitUntilReady(
                    addresses.dedicatedProbe(tenant.rawValue, port: port), timeout: gatewayReadyTimeout)
                if !ready {
                    throw RequestError(
                        .unavailable, "the tenant's gateway did not become ready within \(gatewayReadyTimeout)")
                }
            }
        default: throw RequestError(.internalFailure, "operation \(operation.kind.rawValue) has no step \(step)")
        }
    }

    /// The value `fetch` returns, or nil when the worker answers 404.
    private func existing<Value>(_ fetch: () async throws -> Value) async throws -> Value? {
        do { return try await fetch() } catch let error as RPCError where error.status == 404 { return nil }
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

    private func gatewayURL(_ tenant: TenantID) async throws -> String {
        guard let row = try await store.tenant(tenant) else { throw RequestError(.notFound, "no tenant \(tenant)") }
        return gatewayURL(row)
    }

    /// The URL integrators use for a tenant's gateway.
    func gatewayURL(_ row: ControlStore.TenantRow) -> String {
        row.gatewayPort.map { addresses.dedicated(row.id.rawValue, port: $0) } ?? addresses.pooled(row.id.rawValue)
    }

    func body(_ row: ControlStore.TenantRow) -> ControlAPI.Tenant {
        ControlAPI.Tenant(
            createdAt: row.createdAt, gatewayUrl: gatewayURL(row), id: row.id.rawValue,
            isolation: .init(rawValue: row.isolation.rawValue) ?? .dedicated,
            ledgerNetwork: row.ledgerNetwork ?? "", name: row.name, plan: row.plan,
            sharedGatewayUrl: row.isolation == .pooled ? addresses.shared : nil,
            status: .init(rawValue: row.status.rawValue) ?? .failed, statusReason: row.statusReason)
    }

    static func body(_ row: ControlStore.KeyRow) -> ControlAPI.Key {
        ControlAPI.Key(
            createdAt: row.createdAt, expiresAt: row.expiresAt, id: row.id, lastUsedAt: row.lastUsedAt, name: row.name,
            revokedAt: row.revokedAt,
            scopes: row.scopes?.compactMap(Components.Schemas.Key.ScopesPayloadPayload.init(rawValue:)))
    }
}
