import CustosClients
import CustosControlAPI
import OpenAPIRuntime

extension ControlStore.OperationRow {
    /// The operation as the admin API shows it (docs/openapi/control.json `Operation`).
    func apiBody() throws -> ControlAPI.Operation {
        ControlAPI.Operation(
            actor: actor, createdAt: createdAt, error: error, id: id,
            kind: .init(rawValue: kind.rawValue) ?? .create, progress: progress,
            request: .init(additionalProperties: try OpenAPIObjectContainer(unvalidatedValue: request)),
            status: .init(rawValue: status) ?? .failed, step: step, tenant: tenant.rawValue, updatedAt: updatedAt)
    }
}
