import CustosCore
import CustosOperator
import CustosOperatorControllers

/// A control plane that answers from memory and records the deletions asked of it.
actor FakeControlPlane: ControlPlane {
    var desired: [DesiredGateway] = []
    var deletionAnswers: [TenantDeletion] = []
    private(set) var deletions: [String] = []

    func set(desired: [DesiredGateway]) { self.desired = desired }
    func set(deletionAnswers: [TenantDeletion]) { self.deletionAnswers = deletionAnswers }

    func desiredGateways() async throws -> [DesiredGateway] { desired }

    func deleteTenant(_ tenant: TenantID) async throws -> TenantDeletion {
        deletions.append(tenant.rawValue)
        return deletionAnswers.isEmpty ? .finished : deletionAnswers.removeFirst()
    }
}
