import CustosCore
import CustosOperator

/// What the operator asks of the control plane.
public protocol ControlPlane: Sendable {
    /// The dedicated gateways the control plane wants, with each tenant's plan.
    func desiredGateways() async throws -> [DesiredGateway]
    /// Asks the control plane to delete `tenant` (data destroyed, data key shredded); whether it is done.
    func deleteTenant(_ tenant: TenantID) async throws -> TenantDeletion
}

/// How far a tenant's deletion in the control plane has come.
public enum TenantDeletion: Sendable, Equatable {
    /// Deleted (or never known): the finalizer may go.
    case finished
    /// Still running, or failed and to be asked again; the reason is logged.
    case pending(String)
}
