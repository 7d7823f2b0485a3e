import CustosControlInternalAPI

/// The internal API (docs/openapi/control-internal.yaml): what other Custos processes ask the control plane.
struct ControlInternalHandlers: APIProtocol {
    let store: ControlStore

    func listGateways(_ input: Operations.ListGateways.Input) async throws -> Operations.ListGateways.Output {
        let gateways = try await store.tenants()
            .filter { $0.status == "active" }
            .map { Components.Schemas.Gateway(tenant: $0.id.rawValue, port: $0.gatewayPort) }
        return .ok(.init(body: .json(.init(gateways: gateways))))
    }
}
