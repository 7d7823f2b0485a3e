import CustosClients
import CustosCore
import CustosOperator

/// The control plane over its APIs: the internal API (service token) for the desired gateways and plans, the
/// admin API (administrator token) for deletions.
public struct CustosControlPlane: ControlPlane {
    let internalAPI: ControlInternalClient
    let admin: ControlClient?

    /// A control plane at `baseURL`. Without `adminToken` the operator cannot delete tenants: a CustosTenant's
    /// deletion then waits (its finalizer stays) until one is configured, or until the finalizer is removed by
    /// hand.
    public init(baseURL: String, serviceToken: String, adminToken: String?) {
        internalAPI = ControlInternalClient(baseURL: baseURL, serviceToken: serviceToken)
        admin = adminToken.map { ControlClient(baseURL: baseURL, adminToken: $0) }
    }

    public func desiredGateways() async throws -> [DesiredGateway] {
        var result: [DesiredGateway] = []
        for gateway in try await internalAPI.gateways() {
            guard let tenant = TenantID(gateway.tenant) else { continue }
            // The gateway list names no plan; the usage endpoint does (one call per dedicated tenant).
            let plan = try await internalAPI.usage(tenant: gateway.tenant).plan
            result.append(DesiredGateway(tenant: tenant, plan: plan))
        }
        return result
    }

    public func deleteTenant(_ tenant: TenantID) async throws -> TenantDeletion {
        guard let admin else {
            return .pending("no administrator token (CUSTOS_ADMIN_TOKEN): the operator cannot delete tenants")
        }
        do {
            // Idempotent: the same key for every attempt, so a retry joins the running deletion.
            let operation = try await admin.deleteTenant(
                tenant.rawValue, idempotencyKey: "custos-operator-delete-\(tenant.rawValue)", wait: 20)
            switch operation.status {
            case .succeeded: return .finished
            case .running: return .pending("deletion running (step \(operation.step))")
            case .failed: return .pending("deletion failed: \(operation.error ?? "no reason given")")
            }
        } catch let error as RPCError where error.status == 404 {
            return .finished
        } catch let error as RPCError where error.status == 409 {
            // No deletion of ours to join and none may start: the tenant is deleted already (an administrator
            // deleted it before the sync released its CustosTenant, or one made by hand, which is never released),
            // or another operation runs. Only the first lets the finalizer go; the second is tried again.
            if try await admin.tenant(tenant.rawValue).status == .deleted { return .finished }
            throw error
        }
    }
}
